#include "hub/api/event_waiters.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/api/json_model.h"

namespace certfleet::hub::api {

nlohmann::json EventsPage(const std::vector<store::Event>& events, store::Revision since,
                          const std::string& subject, std::int64_t limit) {
  nlohmann::json items = nlohmann::json::array();
  store::Revision cursor = since;
  for (const auto& e : events) {
    if (e.revision <= since) continue;
    if (static_cast<std::int64_t>(items.size()) >= limit) break;
    cursor = e.revision;
    if (subject.empty() || e.subject == subject) items.push_back(EventJson(e));
  }
  return {{"events", std::move(items)}, {"revision", cursor}};
}

EventWaiters::EventWaiters(store::Store& store, Duration poll)
    : store_(store), poll_(poll), thread_([this] { Run(); }) {}

EventWaiters::~EventWaiters() { Stop(); }

void EventWaiters::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventWaiters::OnCommit(store::Revision revision) {
  (void)revision;  // the dispatcher reads what is new itself
  {
    std::lock_guard lock(mu_);
    dirty_ = true;
  }
  cv_.notify_all();
}

void EventWaiters::Add(EventWaiter waiter) {
  {
    std::lock_guard lock(mu_);
    waiters_.push_back(std::move(waiter));
    // A commit may have landed between the caller's read and this registration.
    dirty_ = true;
  }
  cv_.notify_all();
}

std::size_t EventWaiters::WaitingCount() const {
  std::lock_guard lock(mu_);
  return waiters_.size();
}

void EventWaiters::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    // Wakes on a commit, or after `poll_` to catch commits of other processes.
    cv_.wait_for(lock, poll_, [this] { return stop_ || (dirty_ && !waiters_.empty()); });
    if (stop_) break;
    dirty_ = false;
    std::erase_if(waiters_, [](const EventWaiter& w) { return w.responder.Done(); });
    if (waiters_.empty()) continue;
    std::vector<EventWaiter> batch = std::move(waiters_);
    waiters_.clear();
    lock.unlock();
    Dispatch(batch);
    lock.lock();
    for (auto& w : batch) waiters_.push_back(std::move(w));
  }
}

// Answers the waiters that have matching events; the rest stay in `waiters`.
void EventWaiters::Dispatch(std::vector<EventWaiter>& waiters) {
  store::Revision min_since = waiters.front().since;
  for (const auto& w : waiters) min_since = std::min(min_since, w.since);
  auto events = store_.ListEventsSince(min_since, 1000);
  if (!events) {
    spdlog::warn("hub events: reading events after {}: {}", min_since, events.error().message);
    return;
  }
  if (events->empty()) return;
  std::vector<EventWaiter> still;
  for (auto& w : waiters) {
    const bool covered = events->size() < 1000 || w.since < events->back().revision;
    auto own = covered ? Result<std::vector<store::Event>>(*events)
                       : store_.ListEventsSince(w.since, w.limit);
    if (!own) {
      still.push_back(std::move(w));
      continue;
    }
    nlohmann::json page = EventsPage(*own, w.since, w.subject, w.limit);
    if (!page["events"].empty()) {
      w.responder.Send(http::Response::Json(page));
      continue;
    }
    w.since = page["revision"].get<store::Revision>();
    if (!w.responder.Done()) still.push_back(std::move(w));
  }
  waiters = std::move(still);
}

}  // namespace certfleet::hub::api
