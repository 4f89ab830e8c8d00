// API authentication and authorization.
//
// Tokens: the secret is "cf_" + base64url(32 random bytes); the store keeps only its
// SHA-256 (hex). Clients send "Authorization: Bearer cf_...". Roles (store::Role):
//   readonly  reads everything except key material and tokens
//   support   readonly + manages customers, machines, domains, the issue button: it decides
//             where certificates go, never what keys are (docs/security.md)
//   admin     support + tokens + uploads of certificates with their private keys
//   agent     bound to one machine: its desired state, the key material of certificates
//             hosted on it, its deployment reports, and the events about it
//   metrics   GET /metrics only (a Prometheus server's token)
// The permission rules are pure functions (RoleAllows, Authorize, AuthorizeMachine) so they
// are tested without a server. Secrets never appear in logs, errors or audit rows.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "hub/token_cache.h"
#include "store/token_store.h"

namespace certfleet::hub {

// The authenticated caller of one request.
struct Principal {
  store::Id token_id = 0;
  std::string token_name;
  store::Role role = store::Role::kReadonly;
  std::optional<store::Id> machine_id;  // set for agent tokens only

  // For the audit log: "token:3 (alice laptop)".
  store::Actor ToActor() const;
};

enum class Action {
  kRead,          // customers, machines, domains, certificates (no keys), deployments, audit
  kManage,        // create/update/delete customers, machines, domains (and so where each
                  // domain's certificate and key are deployed); issue
  kManageKeys,    // supply key material: upload a certificate with its private key
  kManageTokens,  // create, list, revoke tokens
  kWatchEvents,   // GET /api/v1/events (agents see only their machine's events)
  kAgent,         // the agent endpoints; the machine is checked by AuthorizeMachine
  kReadMetrics,   // GET /metrics: metrics, readonly, support, admin
};

std::string_view ActionName(Action action);  // "read", "manage", ...

// True when `role` may perform `action` (the table above).
bool RoleAllows(store::Role role, Action action);

// Token lifecycle events and audit entries (token.created / token.revoked: a token's name,
// role and machine) are for admins only, as listing tokens is (review 2026-12-06, F17).
bool MaySeeTokenLifecycle(store::Role role);
// Whether an event type or audit action ("token.created", "token.revoked") is one of them.
bool IsTokenLifecycle(std::string_view type_or_action);

// kPermissionDenied naming the token, its role and the roles that would be allowed.
Status Authorize(const Principal& principal, Action action);

// OK only for an agent token bound to `machine_id`; kPermissionDenied otherwise.
Status AuthorizeMachine(const Principal& principal, store::Id machine_id);

// A fresh secret "cf_" + base64url(32 random bytes) (46 characters).
std::string GenerateTokenSecret();
// Lower-case hex SHA-256 of the secret, as stored in store::Token::secret_sha256.
std::string HashTokenSecret(std::string_view secret);

// The token from an Authorization header value "Bearer <token>" (scheme case-insensitive);
// kUnauthenticated when the header is missing or malformed.
Result<std::string_view> ParseBearer(std::optional<std::string_view> authorization);

// Resolves Authorization headers to principals through the store, remembering the
// tokens it verified for a few seconds (hub/token_cache.h states when a remembered token
// is trusted: never after this hub revoked it).
// Thread-safe (the store and the cache are). Records last use at most once a minute per
// token.
class Authenticator {
 public:
  Authenticator(store::TokenStore& store, Clock& clock,
                Duration cache_ttl = TokenCache::kDefaultTtl)
      : store_(store), clock_(clock), cache_(cache_ttl) {}

  // kUnauthenticated for a missing, malformed, unknown or revoked token; kUnavailable
  // (or other store errors) when the store fails.
  Result<Principal> Authenticate(std::optional<std::string_view> authorization) const;

 private:
  // The valid token for `secret_sha256`, from the cache or the store.
  Result<store::Token> Verify(const std::string& secret_sha256, TimePoint now) const;

  store::TokenStore& store_;
  Clock& clock_;
  mutable TokenCache cache_;
};

// A token as created: the stored row and the secret, which exists only here.
struct IssuedToken {
  store::Token token;
  std::string secret;
};

// Creates a token with a fresh secret (store errors pass through, e.g. kInvalidArgument
// for an agent token without machine).
Result<IssuedToken> IssueToken(store::TokenStore& store, const store::Actor& actor,
                               std::string name, store::Role role,
                               std::optional<store::Id> machine_id);

// First start: when the store holds no tokens at all, creates an admin token and writes
// its secret to <data_dir>/admin.token (mode 0600). Returns true when it did so. The file
// is written before the token row, so a failure never leaves an admin nobody knows.
Result<bool> BootstrapAdminToken(store::TokenStore& store, const std::filesystem::path& data_dir);

}  // namespace certfleet::hub
