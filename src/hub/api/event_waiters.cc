#include "hub/api/event_waiters.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace certfleet::hub::api {
namespace {

constexpr std::int64_t kReadBatch = 1000;

store::Revision StartRevision(store::Outbox& store) {
  auto max = store.MaxRevision();
  return max ? *max : 0;
}

}  // namespace

http::Response PageResponse(const EventPage& page) {
  http::Response response;
  response.status = 200;
  response.headers.Set("Content-Type", "application/json");
  response.body = page.body;
  return response;
}

EventWaiters::EventWaiters(store::Outbox& store, Clock& clock, Duration poll,
                           std::size_t window_events)
    : store_(store), clock_(clock), poll_(poll), window_(StartRevision(store), window_events) {
  last_dispatched_ = window_.last();
  thread_ = std::thread([this] { Run(); });
}

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
  store::Revision known = committed_.load();
  while (revision > known && !committed_.compare_exchange_weak(known, revision)) {
  }
  {
    std::lock_guard lock(mu_);
    dirty_ = true;
  }
  cv_.notify_all();
}

void EventWaiters::Add(EventWaiter waiter) {
  bool missed = false;
  {
    std::lock_guard lock(mu_);
    // A commit announced after the caller's read (its cursor) may be missing from its page:
    // look now. Otherwise the next commit's look takes it with the other fresh waiters
    // (OnCommit moves committed_ before it takes mu_). Waking the dispatcher for every
    // registration made it read the store once per agent pass (issue 16).
    missed = committed_.load() > waiter.since;
    fresh_.push_back(std::move(waiter));
    ++waiting_;
    if (missed) dirty_ = true;
  }
  if (missed) cv_.notify_all();
}

std::size_t EventWaiters::WaitingCount() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

std::vector<EventWaiter> EventWaiters::TakeConcerned(const std::vector<std::string>& subjects) {
  std::vector<EventWaiter> batch = std::move(fresh_);
  fresh_.clear();
  auto take = [&](const std::string& subject) {
    auto it = by_subject_.find(subject);
    if (it == by_subject_.end()) return;
    for (auto& w : it->second) batch.push_back(std::move(w));
    by_subject_.erase(it);
  };
  if (!subjects.empty()) take("");  // unfiltered watchers see every event
  for (const auto& subject : subjects) take(subject);
  waiting_ -= batch.size();
  return batch;
}

void EventWaiters::Keep(std::vector<EventWaiter> waiters) {
  for (auto& w : waiters) {
    ++waiting_;
    by_subject_[w.filter.subject].push_back(std::move(w));
  }
}

void EventWaiters::SweepDone() {
  for (auto it = by_subject_.begin(); it != by_subject_.end();) {
    const std::size_t before = it->second.size();
    std::erase_if(it->second, [](const EventWaiter& w) { return w.responder.Done(); });
    waiting_ -= before - it->second.size();
    it = it->second.empty() ? by_subject_.erase(it) : std::next(it);
  }
}

Result<bool> EventWaiters::RefreshBatch() {
  std::lock_guard refreshing(refresh_mu_);
  store::Revision from = 0;
  {
    std::shared_lock read(window_mu_);
    from = window_.last();
  }
  auto events = store_.ListEventsSince(from, kReadBatch);
  if (!events) return Fail(events.error());
  if (events->empty()) return false;
  const bool full = static_cast<std::int64_t>(events->size()) == kReadBatch;
  {
    std::unique_lock write(window_mu_);
    window_.Append(std::move(*events));
  }
  return full;
}

Status EventWaiters::Refresh() {
  for (;;) {
    auto more = RefreshBatch();
    if (!more) return Fail(more.error());
    if (!*more) return Ok();
  }
}

Result<EventPage> EventWaiters::PageFor(store::Revision since, const EventFilter& filter,
                                        std::int64_t limit) {
  {
    std::shared_lock read(window_mu_);
    if (window_.Covers(since)) return window_.Page(since, filter, limit);
  }
  // Older than the window: from the store. Filtered watchers read a larger window so other
  // machines' events do not starve them.
  const bool filtered = !filter.subject.empty() || !filter.types.empty();
  auto events = store_.ListEventsSince(since, filtered ? kReadBatch : limit);
  if (!events) return Fail(events.error());
  return PageOf(*events, since, filter, limit);
}

Result<EventPage> EventWaiters::Read(store::Revision since, const EventFilter& filter,
                                     std::int64_t limit, bool fresh) {
  bool behind = false;
  {
    std::shared_lock read(window_mu_);
    behind = committed_.load() > window_.last();
  }
  if (fresh || behind) {
    if (auto s = Refresh(); !s) return Fail(s.error());
  }
  return PageFor(since, filter, limit);
}

void EventWaiters::Run() {
  std::unique_lock lock(mu_);
  SteadyTime next_sweep = clock_.SteadyNow() + poll_;
  while (!stop_) {
    // Wakes on a commit, or after `poll_` to catch commits of other processes.
    clock_.WaitFor(lock, cv_, poll_, [this] { return stop_ || (dirty_ && waiting_ > 0); });
    if (stop_) break;
    dirty_ = false;
    if (clock_.SteadyNow() >= next_sweep) {  // long polls that timed out
      SweepDone();
      next_sweep = clock_.SteadyNow() + poll_;
    }
    if (waiting_ == 0) continue;
    lock.unlock();
    // One batch at a time, answering its waiters before reading the next: one upload for a
    // domain on 10,000 machines appends 10,000 events, and reading them all first kept
    // every watcher waiting for the last batch (issue 16).
    auto more = RefreshBatch();
    Status refreshed = Ok();
    if (!more) refreshed = Fail(more.error());
    std::vector<std::string> subjects;
    store::Revision last = 0;
    {
      std::shared_lock read(window_mu_);
      last = window_.last();
    }
    lock.lock();
    if (!refreshed) {
      spdlog::warn("hub events: reading new events: {}", refreshed.error().message);
      continue;
    }
    if (*more) dirty_ = true;  // read the next batch without waiting for a commit
    bool everyone = false;     // more events than the window holds: their subjects are unknown
    {
      std::shared_lock read(window_mu_);
      everyone = !window_.Covers(last_dispatched_);
      if (!everyone) subjects = window_.SubjectsAfter(last_dispatched_);
    }
    last_dispatched_ = last;
    std::vector<EventWaiter> batch = TakeConcerned(subjects);
    if (everyone) {
      for (auto& [subject, list] : by_subject_) {
        for (auto& w : list) batch.push_back(std::move(w));
        waiting_ -= list.size();
      }
      by_subject_.clear();
    }
    if (batch.empty()) continue;
    lock.unlock();
    Dispatch(batch);
    lock.lock();
    Keep(std::move(batch));
  }
}

// Answers the waiters that have matching events; the rest stay in `waiters`.
void EventWaiters::Dispatch(std::vector<EventWaiter>& waiters) {
  std::vector<EventWaiter> still;
  still.reserve(waiters.size());
  for (auto& w : waiters) {
    if (w.responder.Done()) continue;  // timed out, or the client went away
    auto page = PageFor(w.since, w.filter, w.limit);
    if (page && page->count > 0) {
      w.responder.Send(PageResponse(*page));
      continue;
    }
    if (page) w.since = page->cursor;
    still.push_back(std::move(w));
  }
  waiters = std::move(still);
}

}  // namespace certfleet::hub::api
