// The rules of creating, revoking and rotating API tokens (admin only; the callers check
// the role). Secrets exist only in the returned IssuedToken; the store keeps hashes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/auth.h"
#include "hub/service/context.h"

namespace certfleet::hub::service {

struct TokenInput {
  std::string name;     // a label for people, e.g. "alice laptop"
  std::string role;     // admin | support | readonly | agent
  std::string machine;  // required for agent tokens, refused for the others
};

Result<IssuedToken> CreateToken(ServiceContext& s, const store::Actor& actor, const TokenInput& in);
// Revoking a revoked token succeeds (the first revocation time stays). kNotFound naming
// the id otherwise.
Status RevokeToken(ServiceContext& s, const store::Actor& actor, store::Id id);

// A new agent token for `machine` and, if `revoke_old`, every other live agent token of
// that machine revoked in the same call (the agent must get the new secret first).
struct RotatedToken {
  IssuedToken issued;
  std::vector<store::Id> revoked;  // ids revoked now (empty unless revoke_old)
  std::vector<store::Id> old;      // the machine's other live agent tokens before the call
};
Result<RotatedToken> RotateAgentToken(ServiceContext& s, const store::Actor& actor,
                                      std::string_view machine, std::string name, bool revoke_old);

}  // namespace certfleet::hub::service
