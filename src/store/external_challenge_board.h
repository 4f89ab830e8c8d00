// ExternalChallengeBoard: HTTP-01 answers that ACME clients outside the hub (certbot's
// manual hooks, lego) hand to the hub, which serves them at
// /.well-known/acme-challenge/<token> beside its own (issue 19).
//
// Callers: the support API (put, delete, list), the public challenge route (find). They
// expire by themselves: Find never returns an expired one, and every Put sweeps the expired
// rows in its transaction. Put and Delete write an audit row (no event: nothing else in the
// system has to learn about them); the key authorization is not key material, but it is
// kept out of the audit row anyway.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "store/inventory_types.h"
#include "store/types.h"

namespace certfleet::store {

class ExternalChallengeBoard {
 public:
  virtual ~ExternalChallengeBoard() = default;

  // Inserts, or replaces the one with the same token. Audit "challenge.external.put"
  // [domain:<name>] {token, identifier, expires_at}. kNotFound for an unknown domain,
  // kInvalidArgument for an empty token or key authorization.
  virtual Result<ExternalChallenge> PutExternalChallenge(const Actor& actor,
                                                         const ExternalChallenge& c) = 0;
  // The key authorization of an unexpired one; kNotFound otherwise. The responder's path.
  virtual Result<std::string> FindExternalChallenge(std::string_view token, TimePoint now) = 0;
  // Audit "challenge.external.delete". kNotFound when unknown (or swept after expiring).
  virtual Status DeleteExternalChallenge(const Actor& actor, std::string_view token) = 0;
  // Unexpired ones, oldest first (created_by and times included).
  virtual Result<std::vector<ExternalChallenge>> ListExternalChallenges(TimePoint now) = 0;
};

}  // namespace certfleet::store
