// Housekeeping: what no order needs any more, removed by the issuance worker once a minute
// (at once the first time: a restarted hub cleans up first) on one thread at a time:
//   - the HTTP-01 answers that are finished or expired (ChallengeBoard::DeleteExpiredChallenges;
//     without it every order would leave its challenge rows in the database for good);
//   - with [dns01], the RFC 2136 TXT records past their expiry that a killed hub or a failed
//     delete left in a provider's zone (txt_leftovers.h).
// Failures are logged, never fatal: what is left is tried again on the next pass. With
// several hubs on one database each hub runs it; the deletes are idempotent.
//
// Thread safety: MaybeRun may be called from any thread.
#pragma once

#include <mutex>
#include <optional>

#include "common/clock.h"
#include "issuance/dns01_runtime.h"
#include "store/challenge_board.h"

namespace certfleet::issuance {

class Housekeeping {
 public:
  // `board`, `dns01` (nullptr without [dns01]) and `clock` must outlive this object.
  Housekeeping(store::ChallengeBoard& board, const Dns01Runtime* dns01, Clock& clock,
               Duration every = std::chrono::minutes(1))
      : board_(board), dns01_(dns01), clock_(clock), every_(every) {}

  // Runs a pass when the last one is `every` ago. Returns at once while another thread
  // runs one.
  void MaybeRun();

 private:
  store::ChallengeBoard& board_;
  const Dns01Runtime* const dns01_;
  Clock& clock_;
  const Duration every_;
  std::mutex mu_;
  std::optional<TimePoint> last_;  // guarded by mu_
};

}  // namespace certfleet::issuance
