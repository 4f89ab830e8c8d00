#include "hub/discovery/external_challenges.h"

#include <algorithm>

#include "common/domain_name.h"
#include "hub/discovery/fleet_view.h"
#include "hub/service/field_error.h"

namespace certfleet::hub::discovery {
namespace {

bool IsBase64Url(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// The domain that holds `name` (as name, SAN or under a wildcard), or kNotFound.
Result<store::ManagedName> Holder(store::InventoryBook& names, const std::string& name) {
  auto all = names.ListManagedNames();
  if (!all) return Fail(all.error());
  for (const auto& d : *all) {
    if (Covers(d.name, name) ||
        std::any_of(d.sans.begin(), d.sans.end(), [&](const auto& s) { return Covers(s, name); })) {
      return d;
    }
  }
  return Fail(ErrorCode::kNotFound,
              "no certfleet domain holds " + name + ": add it first (certfleet domain add " + name +
                  " --issuer manual --machine ...), the hub only answers challenges for its "
                  "domains");
}

}  // namespace

Status CheckChallengeAnswer(std::string_view token, std::string_view key_authorization) {
  if (token.size() < 16 || token.size() > 256 || !IsBase64Url(token)) {
    return Fail(ErrorCode::kInvalidArgument,
                "token: must be 16 to 256 base64url characters (RFC 8555 §8.3)");
  }
  const bool shaped = key_authorization.size() == token.size() + 1 + 43 &&
                      key_authorization.substr(0, token.size()) == token &&
                      key_authorization[token.size()] == '.' &&
                      IsBase64Url(key_authorization.substr(token.size() + 1));
  if (!shaped) {
    return Fail(ErrorCode::kInvalidArgument,
                "key_authorization: must be \"<token>.<account key thumbprint>\" for this token "
                "(RFC 8555 §8.1)");
  }
  return Ok();
}

Result<store::ExternalChallenge> PutExternalChallenge(service::ServiceContext& s,
                                                      store::ExternalChallengeBoard& board,
                                                      store::InventoryBook& names,
                                                      const store::Actor& actor,
                                                      const ExternalChallengeInput& in) {
  auto identifier = NormalizeDomainName(in.identifier);
  if (!identifier) return Fail(identifier.error().WithContext("identifier"));
  if (auto ok = CheckChallengeAnswer(in.token, in.key_authorization); !ok) return Fail(ok.error());
  const std::int64_t ttl = in.ttl_seconds.value_or(kDefaultChallengeTtlSeconds);
  if (ttl < 1 || ttl > kMaxChallengeTtlSeconds) {
    return Fail(ErrorCode::kInvalidArgument,
                "ttl_seconds: must be between 1 and " + std::to_string(kMaxChallengeTtlSeconds));
  }
  auto holder = Holder(names, *identifier);
  if (!holder) return Fail(holder.error());
  store::ExternalChallenge c;
  c.token = in.token;
  c.key_authorization = in.key_authorization;
  c.domain_id = holder->domain_id;
  c.identifier = *identifier;
  c.created_by = actor.name;
  c.created_at = s.clock.Now();
  c.expires_at = c.created_at + std::chrono::seconds(ttl);
  return board.PutExternalChallenge(actor, c);
}

}  // namespace certfleet::hub::discovery
