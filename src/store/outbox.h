// Outbox: the ordered event log every other part of the system follows (DESIGN.md
// pipeline steps 1 and 5), the commit listener that wakes followers, and the named
// cursors of consumers that must not process an event twice.
//
// Callers: the watch stream (EventWaiters: ListEventsSince, MaxRevision), the RabbitMQ
// relay (ListUnpublishedEvents, MarkEventsPublished), the notifier (ListEventsSince,
// cursors), the hub wiring (SetCommitListener), the events API (AppendEvent).
//
// Revisions: an event's revision is strictly greater than every revision committed
// before it, and a reader that has seen revision R never later sees a new event ≤ R
// (revision order = commit order). Watchers may therefore poll "since R".
// The vocabulary (types, subjects, payloads) is store/event_types.h + store/events.h.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Appends a custom event (plus an audit row) in its own transaction. kInvalidArgument
  // without type or subject, or when the payload is not a JSON object.
  virtual Result<Event> AppendEvent(const Actor& actor, const Event& e) = 0;
  // Events with revision > since, ascending, at most `limit`.
  virtual Result<std::vector<Event>> ListEventsSince(Revision since, std::int64_t limit) = 0;
  // 0 when there are no events.
  virtual Result<Revision> MaxRevision() = 0;
  // Unpublished events, ascending revision (for the RabbitMQ relay).
  virtual Result<std::vector<Event>> ListUnpublishedEvents(std::int64_t limit) = 0;
  // Sets published_at on the events with these revisions (idempotent). Housekeeping.
  virtual Status MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) = 0;
  // `listener(max_revision)` is called after each commit that appended events, on the
  // committing thread: keep it short and non-blocking (e.g. notify a condition
  // variable). Events committed by other processes are not signalled; poll as well.
  // Replaces any earlier listener; pass nullptr to remove.
  virtual void SetCommitListener(std::function<void(Revision)> listener) = 0;

  // ---- consumer cursors (housekeeping) ----
  // A named consumer's last processed revision (e.g. "notifier"); 0 if never set.
  virtual Result<Revision> GetCursor(std::string_view consumer) = 0;
  virtual Status SetCursor(std::string_view consumer, Revision revision) = 0;
};

}  // namespace certfleet::store
