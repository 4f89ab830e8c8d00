// Removing the DNS-01 TXT records a hub left in a provider's zone (issue 15). Every RFC
// 2136 record is remembered in the store before it is added (journaled_txt_solver.h); the
// ones still listed were never deleted — the hub was killed after the add, while waiting
// for propagation or just after the CA validated, or the delete failed. Two passes remove
// them, so none stays in the customer's DNS:
//   - the domain's job, once its order steps are done: it holds the domain's lease, so no
//     step of any hub still needs the domain's records (RemoveDomainLeftovers);
//   - housekeeping, for records past their expiry whatever their domain (deleted,
//     waiting, valid for months): RemoveExpiredLeftovers, from issuance/housekeeping.h.
// Failures are logged, never fatal: the record stays listed and is tried again. A record
// whose zone is no longer in [dns01] cannot be removed (no key): it is forgotten with an
// error naming it, for the operator to delete by hand.
//
// Thread safety: the functions may run on any thread.
#pragma once

#include <string_view>
#include <vector>

#include "common/clock.h"
#include "issuance/dns01_runtime.h"
#include "store/challenge_board.h"

namespace certfleet::issuance {

// Deletes each record from its zone and forgets the ones deleted; returns how many.
int RemovePlacedTxt(store::ChallengeBoard& board, const Dns01Runtime& dns01,
                    const std::vector<store::PlacedTxt>& records);

// The leftovers of `domain_id` (`domain`: its name, for the log). Nothing without dns01.
void RemoveDomainLeftovers(store::ChallengeBoard& board, const Dns01Runtime* dns01,
                           store::Id domain_id, std::string_view domain);

// The records past their expiry whatever their domain (at most a batch per call; the rest
// wait for the next): housekeeping's part (housekeeping.h).
void RemoveExpiredLeftovers(store::ChallengeBoard& board, const Dns01Runtime& dns01, TimePoint now);

}  // namespace certfleet::issuance
