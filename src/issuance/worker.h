// Worker: the hub's issuance and renewal engine.
//
// Runs ACME orders for domains whose issuer is an ACME CA: new domains, the support
// staff's "issue now" button (Store::RequestIssuance), renewals (renew_at reached),
// and retries after failures (exponential backoff with jitter, minutes up to a day, cut
// down near expiry to a fraction of the certificate's remaining life). The work itself is
// the IssuanceEngine's (engine.h); the Worker gives it threads and sleeps until the next
// due time it knows of (a retry or renewal its jobs recorded, a CA probe), a Wake(), or
// the poll interval, whichever comes first.
// It claims domains through Store::ClaimDueDomains (so several hub replicas never order
// the same domain twice), advances each order one step at a time, saving the order
// state after every step (Store::SaveOrder), so a hub killed mid-order resumes it after
// a restart without issuing twice: the restarted worker has the same owner id (kept in
// the data dir) and so re-takes its own leases at once. HTTP-01 key authorizations are put into the store
// (Store::PutChallenge), where the hub's /.well-known/acme-challenge/ route answers them.
// Private keys are sealed with the Envelope before they reach the store.
//
// Thread safety: Wake and Stop may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "issuance/engine.h"
#include "issuance/issuer_config.h"
#include "store/leader_lock.h"
#include "store/store.h"

namespace certfleet::issuance {

struct WorkerOptions {
  int concurrency = 4;  // orders advanced in parallel
  // How often the worker looks for due work when nobody calls Wake (renewals, retries,
  // work of other replicas' expired leases).
  Duration poll_interval{std::chrono::seconds(30)};
  // The lease owner id; worker thread i claims as "<owner>/<i>". "" = the stable id in
  // <engine.data_dir>/worker.id (WorkerIdentity), so a restarted hub resumes its own orders
  // at once (after lowering `concurrency`, the orders of the dropped threads wait for their
  // lease to expire instead). An explicit owner must be used by one live Worker at a time.
  std::string owner;
  // The work itself: account folder, lease length, polling, retries, CA probes, transports
  // (tests inject fakes; unset: libcurl, kInvalidArgument from Start when an issuer's CA
  // file is unreadable), DNS-01 solvers (must outlive the Worker).
  EngineOptions engine;
  // Several hubs on one database: opens the lock that shows this worker is alive, named
  // after its id (PostgreSQL: a session advisory lock; store::OpenPostgresLeaderLock).
  // The worker claims only while it holds it, and other hubs take the leases of a worker
  // whose lock is gone at once (store/postgres: DeadLeaseOwnerCondition) instead of after
  // the lease. Used only with the stable id (`owner` empty). Unset: leases alone.
  std::function<std::unique_ptr<store::LeaderLock>(const std::string& worker_id)>
      open_liveness_lock;
};

class Worker {
 public:
  // Starts the worker threads. `store`, `envelope` and `clock` must outlive the Worker.
  // Fails when an issuer's configuration is unusable (e.g. unreadable CA file).
  static Result<std::unique_ptr<Worker>> Start(store::Store& store,
                                               const crypto::Envelope& envelope, Clock& clock,
                                               std::vector<IssuerConfig> issuers,
                                               WorkerOptions options);
  virtual ~Worker() = default;

  // Something became due now (a domain saved, the issue button): look for work at once.
  virtual void Wake() = 0;
  // Stops claiming work, lets running steps finish (their state is saved), joins threads.
  // Idempotent.
  virtual void Stop() = 0;
  // The issuer's pacing slots in use at `now` (OrderPacer::Starts); empty for an unknown
  // issuer. Thread-safe.
  virtual std::vector<TimePoint> UsedSlots(const std::string& issuer, TimePoint now) = 0;
};

}  // namespace certfleet::issuance
