// TokenStore: API tokens (admin, support, readonly, and agent tokens bound to one
// machine), stored as the SHA-256 of their secret — never the secret.
//
// Callers: the Authenticator (FindTokenByHash, TouchToken), token management (service
// layer / API / CLI), the admin-token bootstrap.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class TokenStore {
 public:
  virtual ~TokenStore() = default;

  // kInvalidArgument if secret_sha256 is not 64 hex characters, an agent token lacks
  // machine_id or another role has one; kNotFound for an unknown machine; kAlreadyExists
  // if the hash is taken. Emits token.created.
  virtual Result<Token> CreateToken(const Actor& actor, const Token& t) = 0;
  // Lookup by the SHA-256 hex of the presented secret; revoked tokens are returned too
  // (check revoked_at). kNotFound if unknown.
  virtual Result<Token> FindTokenByHash(std::string_view secret_sha256) = 0;
  // Ascending id.
  virtual Result<std::vector<Token>> ListTokens() = 0;
  // Emits token.revoked. Revoking an already revoked token succeeds and keeps the first
  // revoked_at (no second event). kNotFound for an unknown id.
  virtual Status RevokeToken(const Actor& actor, Id id, TimePoint at) = 0;
  // Housekeeping: no event, no audit. kNotFound for an unknown id.
  virtual Status TouchToken(Id id, TimePoint at) = 0;
  // A count that grows with every commit made through this object that can end a token
  // (events::EndsTokens: a revocation, a machine's deletion), after its COMMIT and before
  // the call that made it returns. A cache of verified tokens that remembers the count it
  // read before reading the store, and drops an entry once the count moved, never accepts
  // a token this object ended. Commits through other objects on the same database (other
  // hub replicas on PostgreSQL) are not counted: such a cache must bound its entries' age.
  // Thread-safe, never blocks.
  virtual std::uint64_t TokenRevocations() const = 0;
};

}  // namespace certfleet::store
