// NotificationQueue: messages waiting for delivery on one notification channel, kept
// until delivered so a channel that is down delays only itself (issue 6).
//
// Callers: the notifier's dispatcher (Enqueue) and channel workers (the rest).
// Housekeeping: no event, no audit.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

class NotificationQueue {
 public:
  virtual ~NotificationQueue() = default;

  // kInvalidArgument without a channel; kAlreadyExists if the channel already holds this
  // non-empty dedup_key (so a warning fires once, even when two hubs enqueue it).
  virtual Result<Notification> EnqueueNotification(const Notification& n) = 0;
  // Undelivered notifications of `channel` with next_attempt_at ≤ now, oldest first.
  virtual Result<std::vector<Notification>> ListDueNotifications(std::string_view channel,
                                                                 TimePoint now,
                                                                 std::int64_t limit) = 0;
  // kNotFound for an unknown id.
  virtual Status MarkNotificationDelivered(Id id, TimePoint at) = 0;
  // attempts += 1, records the error, sets the next attempt time. kNotFound for an
  // unknown id.
  virtual Status RescheduleNotification(Id id, TimePoint next_attempt_at,
                                        std::string_view error) = 0;
};

}  // namespace certfleet::store
