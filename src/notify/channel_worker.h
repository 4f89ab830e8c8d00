// ChannelWorker: delivers one channel's queue, one grouped message per pass.
//
// A pass looks for a due notification. If there is one, it takes every notification that
// will be due within the channel's group window too (they arrived during the window; the
// earliest one has waited the full window), formats them as ONE message, delivers it, and
// marks them all delivered — or, when delivery fails, reschedules them all together after
// RetryDelay(attempts) (or the receiver's Retry-After, if longer), keeping them grouped.
//
// Delivery is at-least-once: a crash between a successful Deliver and the marking sends
// the message again (with the same Message::id when the batch is unchanged).
//
// Not thread safe: one worker per channel, driven by one thread (Service), so a receiver
// that hangs holds up only its own channel.
#pragma once

#include <cstdint>

#include "common/clock.h"
#include "notify/channel_config.h"
#include "notify/notifier.h"
#include "notify/policy.h"
#include "store/notification_queue.h"

namespace certfleet::notify {

struct DeliveryPass {
  bool attempted = false;        // a message was handed to the notifier
  std::int64_t delivered = 0;    // notifications marked delivered by this pass
  std::int64_t rescheduled = 0;  // notifications put back after a failed delivery
  std::optional<Error> error;    // the delivery error, when it failed
};

class ChannelWorker {
 public:
  // `channel` and `notifier` must outlive the worker.
  ChannelWorker(store::NotificationQueue& store, Clock& clock, const ChannelConfig& channel,
                Notifier& notifier, RetryPolicy retry = {}, std::int64_t batch_limit = 500);

  // One pass (see above). Store errors are returned; a failed delivery is not an error
  // of the pass (it is in DeliveryPass::error).
  Result<DeliveryPass> RunOnce();

 private:
  Status Reschedule(const std::vector<store::Notification>& batch, const Error& error,
                    TimePoint now, DeliveryPass& pass);

  store::NotificationQueue& store_;
  Clock& clock_;
  const ChannelConfig& channel_;
  Notifier& notifier_;
  RetryPolicy retry_;
  std::int64_t batch_limit_;
};

}  // namespace certfleet::notify
