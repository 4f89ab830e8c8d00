// OutboxRelay: moves events from the store's outbox to a Publisher (e.g. RabbitMQ),
// in revision order, and marks them published ONLY after the publisher confirmed them
// (DESIGN.md pipeline steps 1 and 5). At-least-once: a crash between the broker's
// confirm and MarkEventsPublished publishes those events again; consumers drop
// duplicates by event id.
//
// It runs on its own thread and never blocks its callers: the API and issuance only
// commit to the store; Wake() merely notifies. When the publisher fails (broker down,
// login refused) the events stay in the outbox; the relay retries with exponential
// backoff and logs once when the outage starts and once when it ends.
//
// Wiring: the store has one commit listener, shared by whoever needs it, so the relay
// does not install one. Call Wake() from it:
//   store.SetCommitListener([&](store::Revision r) { waiters.OnCommit(r); relay.Wake(); });
// and the relay also polls every poll_interval (commits by other processes).
//
// An event whose message cannot be built without key material is withheld: logged as
// an error (type and revision, never the payload) and marked published unsent, so it
// cannot stall the events behind it.
//
// Several hubs: with RelayOptions::is_leader, only the hub holding the leader lock relays;
// the others stand by, so each event is published once (at-least-once around a failover),
// in revision order, by whichever hub leads.
//
// Thread safety: Start, Stop, Wake and status may be called from any thread. Stop waits
// for the thread, at most about one publish attempt (BrokerConfig timeouts).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "bus/publisher.h"
#include "common/clock.h"
#include "store/outbox.h"

namespace certfleet::bus {

struct RelayOptions {
  std::int64_t batch_size = 200;  // events per publish round (confirms awaited together)
  Duration poll_interval{std::chrono::seconds(1)};
  Duration min_backoff{std::chrono::milliseconds(200)};
  Duration max_backoff{std::chrono::seconds(30)};
  // Several hubs on one database: relay only while this returns true (the hub holds the
  // store's leader lock, store/leader_lock.h); otherwise stand by and ask again every
  // poll_interval. Unset: always relay (one hub).
  std::function<bool()> is_leader;
};

struct RelayStatus {
  std::int64_t published = 0;          // events this relay marked published
  std::int64_t withheld = 0;           // events skipped because of key material
  store::Revision last_published = 0;  // highest revision marked by this relay
  bool healthy = true;                 // false from a failed attempt until the next success
  bool standby = false;                // another hub relays (RelayOptions::is_leader false)
  std::string last_error;              // of the current outage ("" when healthy)
};

class OutboxRelay {
 public:
  // `store` and `clock` must outlive the relay; the clock stamps published_at and times
  // the polls and the backoff (Clock::WaitFor).
  OutboxRelay(store::Outbox& store, std::unique_ptr<Publisher> publisher, Clock& clock,
              RelayOptions options = {});
  ~OutboxRelay();  // Stop()
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;

  void Start();  // starts the thread (no-op if running)
  void Stop();   // idempotent
  void Wake();   // something was committed: look at the outbox soon. Never blocks long.
  RelayStatus status() const;

 private:
  void Run();
  // One round: read a batch, publish, mark. True if it relayed (or withheld) something.
  Result<bool> RelayOnce();
  Status MarkPublished(const std::vector<store::Revision>& revisions, std::int64_t withheld);
  void RecordFailure(const Error& error, int failures);
  void RecordSuccess(int failures);
  // False (and status().standby) while another hub leads.
  bool Leading();
  void WaitForWork(Duration timeout, bool wakeable);

  store::Outbox& store_;
  std::unique_ptr<Publisher> publisher_;
  Clock& clock_;
  RelayOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  RelayStatus status_;
  std::thread thread_;
};

}  // namespace certfleet::bus
