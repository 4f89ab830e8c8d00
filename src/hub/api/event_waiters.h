// EventWaiters: the long-poll side of GET /api/v1/events (the agents' watch stream).
//
// New events are read from the store once per commit into an EventWindow (serialized once,
// indexed by subject) and every request and waiter is answered from it; a cursor older
// than the window goes to the store. A request that finds nothing registers a Waiter; the
// store's commit listener calls OnCommit, and a dispatcher thread then reads what is new
// and looks only at the waiters it can concern: those of the new events' subjects, the
// unfiltered ones, and those registered since the last look (issue 16: with 10,000 agents
// waiting, each agent's own report used to make the dispatcher re-examine all of them). Because the store signals only its
// own process' commits, the dispatcher also reads the store every `poll` while waiters
// exist (hub replicas on one PostgreSQL). A waiter with a filter (agents see only
// "machine:<name>", and may ask for some event types only) whose new events all belong
// to others keeps waiting with its cursor moved past them.
//
// Thread safety: all methods may be called from any thread. Stop (also run by the
// destructor) joins the dispatcher; waiters still registered are left to their
// timeout response (the server answers them, or 503 when it stops).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "http/responder.h"
#include "hub/api/event_window.h"
#include "store/outbox.h"

namespace certfleet::hub::api {

struct EventWaiter {
  store::Revision since = 0;
  EventFilter filter;
  std::int64_t limit = 100;
  http::Responder responder;
};

// The response for a page (its body is JSON text already).
http::Response PageResponse(const EventPage& page);

class EventWaiters {
 public:
  static constexpr std::size_t kWindowEvents = 32768;

  // `store` and `clock` (which times the polls and sweeps) must outlive the waiters.
  EventWaiters(store::Outbox& store, Clock& clock, Duration poll = std::chrono::seconds(1),
               std::size_t window_events = kWindowEvents);
  ~EventWaiters();
  EventWaiters(const EventWaiters&) = delete;
  EventWaiters& operator=(const EventWaiters&) = delete;

  // From the store's commit listener: cheap, never blocks on the store.
  void OnCommit(store::Revision revision);
  // Registers a waiter whose page (read by the caller) ended at waiter.since. The dispatcher
  // looks at it at once only if a commit after that was announced meanwhile; otherwise at
  // the next commit (or poll).
  void Add(EventWaiter waiter);
  void Stop();

  // The page after `since` for a request. `fresh`: read the store for new events first
  // (an immediate answer must include every commit before it; a long poll is answered by
  // the dispatcher anyway once a commit it missed is read).
  Result<EventPage> Read(store::Revision since, const EventFilter& filter, std::int64_t limit,
                         bool fresh);

  std::size_t WaitingCount() const;

 private:
  void Run();
  Status Refresh();             // reads every new event into the window
  Result<bool> RefreshBatch();  // reads one batch; true when more may follow
  // Under mu_: moves out the waiters the events after last_dispatched_ can concern.
  std::vector<EventWaiter> TakeConcerned(const std::vector<std::string>& subjects);
  void Keep(std::vector<EventWaiter> waiters);  // under mu_: back into the index
  void SweepDone();                             // under mu_: forgets answered/expired waiters
  void Dispatch(std::vector<EventWaiter>& waiters);
  // The page from the window, or from the store when the window does not cover `since`.
  Result<EventPage> PageFor(store::Revision since, const EventFilter& filter, std::int64_t limit);

  store::Outbox& store_;
  Clock& clock_;
  const Duration poll_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  // Waiting: by subject ("" = unfiltered), plus those not looked at since they registered.
  std::unordered_map<std::string, std::vector<EventWaiter>> by_subject_;
  std::vector<EventWaiter> fresh_;
  std::size_t waiting_ = 0;
  store::Revision last_dispatched_ = 0;  // the window's last revision at the last look
  bool dirty_ = false;                   // a commit arrived since the last dispatch
  bool stop_ = false;
  std::atomic<store::Revision> committed_{0};  // highest revision OnCommit announced
  std::mutex refresh_mu_;                      // one store read into the window at a time
  mutable std::shared_mutex window_mu_;
  EventWindow window_;
  std::thread thread_;
};

}  // namespace certfleet::hub::api
