#include "hub/auth.h"

#include <filesystem>

#include "common/atomic_file.h"
#include "common/encoding.h"
#include "crypto/hash.h"
#include "http/headers.h"

namespace certfleet::hub {
namespace {

constexpr std::string_view kTokenPrefix = "cf_";
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretLength = 3 + 43;  // "cf_" + base64url(32 bytes), unpadded
constexpr auto kTouchInterval = std::chrono::minutes(1);

std::string AllowedRoles(Action action) {
  std::string roles;
  for (store::Role role : {store::Role::kAdmin, store::Role::kSupport, store::Role::kReadonly,
                           store::Role::kAgent, store::Role::kMetrics}) {
    if (!RoleAllows(role, action)) continue;
    roles += (roles.empty() ? "" : " or ") + std::string(store::RoleName(role));
  }
  return roles;
}

std::string Describe(const Principal& p) {
  return "token " + std::to_string(p.token_id) + " (" + p.token_name + ", role " +
         std::string(store::RoleName(p.role)) + ")";
}

}  // namespace

store::Actor Principal::ToActor() const {
  return store::Actor{"token:" + std::to_string(token_id) + " (" + token_name + ")"};
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kRead:
      return "read";
    case Action::kManage:
      return "manage";
    case Action::kManageTokens:
      return "manage tokens";
    case Action::kManageKeys:
      return "upload key material";
    case Action::kWatchEvents:
      return "watch events";
    case Action::kAgent:
      return "agent";
    case Action::kReadMetrics:
      return "read metrics";
  }
  return "unknown";
}

bool MaySeeTokenLifecycle(store::Role role) { return role == store::Role::kAdmin; }

bool IsTokenLifecycle(std::string_view type_or_action) {
  return type_or_action.starts_with("token.");
}

bool RoleAllows(store::Role role, Action action) {
  using store::Role;
  switch (action) {
    case Action::kRead:
      return role != Role::kAgent && role != Role::kMetrics;
    case Action::kManage:
      return role == Role::kAdmin || role == Role::kSupport;
    case Action::kManageTokens:
    case Action::kManageKeys:
      return role == Role::kAdmin;
    case Action::kWatchEvents:
      return role != Role::kMetrics;
    case Action::kAgent:
      return role == Role::kAgent;
    case Action::kReadMetrics:
      return role != Role::kAgent;
  }
  return false;
}

Status Authorize(const Principal& principal, Action action) {
  if (RoleAllows(principal.role, action)) return Ok();
  return Fail(ErrorCode::kPermissionDenied, Describe(principal) + " may not " +
                                                std::string(ActionName(action)) + "; this needs " +
                                                AllowedRoles(action));
}

Status AuthorizeMachine(const Principal& principal, store::Id machine_id) {
  if (principal.role == store::Role::kAgent && principal.machine_id == machine_id) return Ok();
  return Fail(
      ErrorCode::kPermissionDenied,
      Describe(principal) + " is not the agent token of machine " + std::to_string(machine_id));
}

std::string GenerateTokenSecret() {
  return std::string(kTokenPrefix) + Base64UrlEncode(crypto::RandomBytes(kSecretBytes));
}

std::string HashTokenSecret(std::string_view secret) { return HexEncode(crypto::Sha256(secret)); }

Result<std::string_view> ParseBearer(std::optional<std::string_view> authorization) {
  if (!authorization || authorization->empty()) {
    return Fail(ErrorCode::kUnauthenticated,
                "missing Authorization header; send \"Authorization: Bearer <token>\"");
  }
  std::string_view value = *authorization;
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !http::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return Fail(ErrorCode::kUnauthenticated,
                "malformed Authorization header; expected \"Bearer <token>\"");
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

Result<store::Token> Authenticator::Verify(const std::string& secret_sha256, TimePoint now) const {
  // Read before the store: a revocation committed after this read moves the count, so an
  // entry filled from a snapshot older than the revocation is never trusted.
  const std::uint64_t revocations = store_.TokenRevocations();
  if (auto cached = cache_.Find(secret_sha256, revocations, now)) return std::move(*cached);
  auto token = store_.FindTokenByHash(secret_sha256);
  if (!token) {
    if (token.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kUnauthenticated, "unknown or revoked token");
    }
    return Fail(token.error().WithContext("checking the API token"));
  }
  if (token->revoked_at) return Fail(ErrorCode::kUnauthenticated, "unknown or revoked token");
  cache_.Put(*token, revocations, now);
  return token;
}

Result<Principal> Authenticator::Authenticate(std::optional<std::string_view> authorization) const {
  auto secret = ParseBearer(authorization);
  if (!secret) return Fail(secret.error());
  // Reject obviously foreign strings before touching the store; the message never echoes
  // the presented secret.
  if (secret->size() != kSecretLength || secret->substr(0, kTokenPrefix.size()) != kTokenPrefix) {
    return Fail(ErrorCode::kUnauthenticated, "unknown or revoked token");
  }
  const TimePoint now = clock_.Now();
  auto token = Verify(HashTokenSecret(*secret), now);
  if (!token) return Fail(token.error());
  if (!token->last_used_at || now - *token->last_used_at >= kTouchInterval) {
    // Best effort: last use is informational.
    if (store_.TouchToken(token->id, now)) cache_.Touched(token->secret_sha256, now);
  }
  return Principal{token->id, token->name, token->role, token->machine_id};
}

Result<IssuedToken> IssueToken(store::TokenStore& store, const store::Actor& actor,
                               std::string name, store::Role role,
                               std::optional<store::Id> machine_id) {
  IssuedToken issued;
  issued.secret = GenerateTokenSecret();
  store::Token row;
  row.name = std::move(name);
  row.role = role;
  row.machine_id = machine_id;
  row.secret_sha256 = HashTokenSecret(issued.secret);
  auto created = store.CreateToken(actor, row);
  if (!created) return Fail(created.error());
  issued.token = std::move(*created);
  return issued;
}

Result<bool> BootstrapAdminToken(store::TokenStore& store, const std::filesystem::path& data_dir) {
  auto tokens = store.ListTokens();
  if (!tokens) return Fail(tokens.error().WithContext("bootstrapping the admin token"));
  if (!tokens->empty()) return false;
  const std::filesystem::path file = data_dir / "admin.token";
  const std::string secret = GenerateTokenSecret();
  if (auto s = WriteFileAtomically(file, secret + "\n", 0600); !s) {
    return Fail(s.error().WithContext("writing the first admin token"));
  }
  store::Token row;
  row.name = "bootstrap admin";
  row.role = store::Role::kAdmin;
  row.secret_sha256 = HashTokenSecret(secret);
  if (auto created = store.CreateToken(store::Actor{"system:bootstrap"}, row); !created) {
    std::error_code ignored;
    std::filesystem::remove(file, ignored);
    return Fail(created.error().WithContext("creating the first admin token"));
  }
  return true;
}

}  // namespace certfleet::hub
