// EventWaiters: the long-poll side of GET /api/v1/events (the agents' watch stream).
//
// A request that finds no new events registers a Waiter; the store's commit listener
// calls OnCommit, and a dispatcher thread then reads the new events once and answers
// every waiter they satisfy. Because the store signals only its own process' commits, the
// dispatcher also polls MaxRevision every `poll` while waiters exist (hub replicas on
// one PostgreSQL). A waiter with a subject filter (agents see only "machine:<name>")
// whose new events all belong to others keeps waiting with its cursor moved past them.
//
// Thread safety: all methods may be called from any thread. Stop (also run by the
// destructor) joins the dispatcher; waiters still registered are left to their
// timeout response (the server answers them, or 503 when it stops).
#pragma once

#include <condition_variable>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>
#include <vector>

#include "http/responder.h"
#include "store/store.h"

namespace certfleet::hub::api {

struct EventWaiter {
  store::Revision since = 0;
  std::string subject;  // only events with this subject; "" = all
  std::int64_t limit = 100;
  http::Responder responder;
};

// Events after `since` that pass the subject filter, in the response shape
// {"events": [...], "revision": R}; R is the cursor for the next call (the last
// revision examined, even when it was filtered out).
nlohmann::json EventsPage(const std::vector<store::Event>& events, store::Revision since,
                          const std::string& subject, std::int64_t limit);

class EventWaiters {
 public:
  explicit EventWaiters(store::Store& store, Duration poll = std::chrono::seconds(1));
  ~EventWaiters();
  EventWaiters(const EventWaiters&) = delete;
  EventWaiters& operator=(const EventWaiters&) = delete;

  // From the store's commit listener: cheap, never blocks on the store.
  void OnCommit(store::Revision revision);
  void Add(EventWaiter waiter);
  void Stop();

  std::size_t WaitingCount() const;

 private:
  void Run();
  void Dispatch(std::vector<EventWaiter>& waiters);

  store::Store& store_;
  const Duration poll_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<EventWaiter> waiters_;
  bool dirty_ = false;  // a commit arrived since the last dispatch
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace certfleet::hub::api
