// ChallengeBoard: the HTTP-01 key authorizations the hub answers at
// /.well-known/acme-challenge/<token> (DESIGN.md pipeline step 3).
//
// Callers: the issuance job's challenge solver (Put, Finish), the public challenge route
// (FindPendingChallenge), housekeeping (DeleteExpiredChallenges). Housekeeping only: no
// event, no audit. Any hub on the same database answers any challenge.
//
// Also the DNS-01 TXT records the hub placed in a zone it does not own (RFC 2136 to the
// provider's servers): each is remembered BEFORE the update that adds it is sent and
// forgotten only after the update that deletes it succeeded, so a hub killed in between
// (or a delete that failed) removes it later (issuance/txt_leftovers.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

// One TXT record placed by RFC 2136: `name` TXT "value" in `zone`. Identified by
// (zone, name, value). `domain_id` is not a reference: the record outlives a deleted
// domain until it is removed from the zone.
struct PlacedTxt {
  Id domain_id = 0;
  std::string zone;   // canonical, as configured in [[dns01.zone]]
  std::string name;   // _acme-challenge.<name>
  std::string value;  // the key authorization's digest
  // From then on no order can still need it: housekeeping removes it from the zone.
  TimePoint expires_at{};
};

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

  // Remembers a record about to be added; replaces domain_id and expires_at of the same
  // (zone, name, value). kInvalidArgument for an empty zone, name or value.
  virtual Status RecordPlacedTxt(const PlacedTxt& record) = 0;
  // Forgets it once it is deleted from the zone; fine for an unknown one.
  virtual Status ForgetPlacedTxt(std::string_view zone, std::string_view name,
                                 std::string_view value) = 0;
  // The domain's records, expired or not, by expires_at (then zone, name, value).
  virtual Result<std::vector<PlacedTxt>> ListPlacedTxtOfDomain(Id domain_id) = 0;
  // Records with expires_at <= now, of any domain (deleted ones too), by expires_at; at
  // most `limit`.
  virtual Result<std::vector<PlacedTxt>> ListExpiredPlacedTxt(TimePoint now,
                                                              std::int64_t limit) = 0;
};

}  // namespace certfleet::store
