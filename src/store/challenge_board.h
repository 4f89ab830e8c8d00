// ChallengeBoard: the HTTP-01 key authorizations the hub answers at
// /.well-known/acme-challenge/<token> (DESIGN.md pipeline step 3).
//
// Callers: the issuance job's challenge solver (Put, Finish), the public challenge route
// (FindPendingChallenge), housekeeping (DeleteExpiredChallenges). Housekeeping only: no
// event, no audit. Any hub on the same database answers any challenge.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

class ChallengeBoard {
 public:
  virtual ~ChallengeBoard() = default;

  // Inserts or replaces the challenge with this token. kInvalidArgument for an empty
  // token, kNotFound for an unknown domain.
  virtual Status PutChallenge(const Challenge& c) = 0;
  // The key authorization of a pending challenge with expires_at > now; kNotFound for
  // unknown, finished or expired tokens. The responder's hot path: implementations may
  // answer from memory, but a challenge finished (or its domain deleted) through this
  // store object is never served after that call returned, and one finished through
  // another (another process on the same database) at most 1 s later.
  virtual Result<std::string> FindPendingChallenge(std::string_view token, TimePoint now) = 0;
  // Marks it no longer pending (kept until DeleteExpiredChallenges). kNotFound for an
  // unknown token.
  virtual Status FinishChallenge(std::string_view token) = 0;
  // Deletes challenges that are finished or expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpiredChallenges(TimePoint now) = 0;
};

}  // namespace certfleet::store
