// EventWindow: the most recent events in memory, each serialized once, indexed by subject,
// so one commit is read from the store once and handed to every watcher (issue 16: with
// 10,000 agents long-polling, each commit used to be re-read and re-serialized for every
// waiter, and each agent's next poll re-read up to 1,000 events of other machines).
//
// It holds every event with a revision in (start, last], at most `capacity` of them (the
// oldest are dropped). A query whose cursor lies before the window (Covers() false) must
// go to the store. Pages have the shape of GET /api/v1/events:
//   {"events": [...], "revision": R}
// with R the last revision examined (also when filtered out), so a filtered watcher's
// cursor moves past other machines' events.
//
// Not thread-safe: EventWaiters guards it (shared lock for Page, exclusive for Append).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "store/store.h"

namespace certfleet::hub::api {

// Which events a watcher wants: its subject ("" = all) and event types (empty = all).
// hide_tokens drops the token lifecycle events (token.created, token.revoked): only admins
// see who holds which token (review 2026-12-06, F17; hub/auth.h MaySeeTokenLifecycle).
struct EventFilter {
  std::string subject;
  std::vector<std::string> types;
  bool hide_tokens = false;

  bool Matches(const store::Event& e) const;
  bool WantsType(std::string_view type) const;
};

struct EventPage {
  std::string body;  // the JSON text of the page
  std::int64_t count = 0;
  store::Revision cursor = 0;
};

// The page of `events` (ascending) after `since` for `filter`, at most `limit` events.
// For the store path; same output as EventWindow::Page.
EventPage PageOf(const std::vector<store::Event>& events, store::Revision since,
                 const EventFilter& filter, std::int64_t limit);

class EventWindow {
 public:
  // Empty, starting after revision `start`.
  EventWindow(store::Revision start, std::size_t capacity);

  // `events` ascending, all after last(): appended (the oldest dropped beyond capacity).
  // An event's JSON text is made the first time a page includes it, once: most events
  // are sent to nobody (an agent's watch filters out the deployment.reported of every
  // report; issue 16).
  void Append(std::vector<store::Event> events);
  store::Revision last() const { return last_; }
  std::size_t size() const { return entries_.size(); }
  // True when every event after `since` is here (since ≥ the window's start).
  bool Covers(store::Revision since) const { return since >= start_; }

  // Requires Covers(since). Cost: the matching events (binary search into the subject's
  // list), not the window's size.
  EventPage Page(store::Revision since, const EventFilter& filter, std::int64_t limit) const;

  // The subjects of the events after `since` (those still held), for waking only the
  // watchers they concern.
  std::vector<std::string> SubjectsAfter(store::Revision since) const;

 private:
  class Entry {
   public:
    explicit Entry(store::Event e)
        : revision(e.revision), type(e.type), subject(e.subject), source_(std::move(e)) {}
    // The event's JSON text, made on the first call (thread-safe: pages are built under a
    // shared lock).
    const std::string& Json() const;

    const store::Revision revision;
    const std::string type;
    const std::string subject;

   private:
    mutable std::once_flag once_;
    mutable store::Event source_;  // until Json() made the text; then released
    mutable std::string json_;
  };
  const Entry& At(std::uint64_t seq) const { return entries_[seq - base_]; }
  EventPage Collect(const std::deque<std::uint64_t>* candidates, store::Revision since,
                    const EventFilter& filter, std::int64_t limit) const;

  std::size_t capacity_;
  store::Revision start_;  // every event after start_ is held
  store::Revision last_;
  std::uint64_t base_ = 0;  // sequence number of entries_.front()
  std::deque<Entry> entries_;
  std::deque<std::uint64_t> all_;  // sequence numbers of every entry (unfiltered watchers)
  std::unordered_map<std::string, std::deque<std::uint64_t>> by_subject_;
};

}  // namespace certfleet::hub::api
