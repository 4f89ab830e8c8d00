#include "notify/channel_worker.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "notify/message.h"

namespace certfleet::notify {

ChannelWorker::ChannelWorker(store::NotificationQueue& store, Clock& clock,
                             const ChannelConfig& channel, Notifier& notifier, RetryPolicy retry,
                             std::int64_t batch_limit)
    : store_(store),
      clock_(clock),
      channel_(channel),
      notifier_(notifier),
      retry_(retry),
      batch_limit_(batch_limit) {}

Result<DeliveryPass> ChannelWorker::RunOnce() {
  DeliveryPass pass;
  const TimePoint now = clock_.Now();
  auto due = store_.ListDueNotifications(channel_.name, now, 1);
  if (!due) return Fail(due.error());
  if (due->empty()) return pass;
  auto batch =
      store_.ListDueNotifications(channel_.name, now + channel_.group_window, batch_limit_);
  if (!batch) return Fail(batch.error());

  std::vector<Notice> notices;
  std::vector<store::Notification> sendable;
  for (const auto& n : *batch) {
    auto notice = NoticeFromJson(nlohmann::json::parse(n.payload_json, nullptr, false));
    if (!notice) {
      // A payload we cannot read will never become readable: drop it, loudly.
      spdlog::error("notify channel {}: dropping notification {}: {}", channel_.name, n.id,
                    notice.error().message);
      if (auto s = store_.MarkNotificationDelivered(n.id, now); !s) return Fail(s.error());
      continue;
    }
    notices.push_back(std::move(*notice));
    sendable.push_back(n);
  }
  if (sendable.empty()) return pass;

  std::string id = channel_.name + "-" + std::to_string(sendable.front().id) + "-" +
                   std::to_string(sendable.back().id) + "-" + std::to_string(sendable.size());
  pass.attempted = true;
  Status delivered = notifier_.Deliver(FormatMessage(std::move(id), notices, now));
  if (!delivered) {
    if (auto s = Reschedule(sendable, delivered.error(), now, pass); !s) return Fail(s.error());
    return pass;
  }
  for (const auto& n : sendable) {
    if (auto s = store_.MarkNotificationDelivered(n.id, clock_.Now()); !s) return Fail(s.error());
    ++pass.delivered;
  }
  return pass;
}

Status ChannelWorker::Reschedule(const std::vector<store::Notification>& batch, const Error& error,
                                 TimePoint now, DeliveryPass& pass) {
  std::int32_t attempts = 0;
  for (const auto& n : batch) attempts = std::max(attempts, n.attempts);
  Duration delay = RetryDelay(retry_, attempts + 1);
  if (error.retry_after) delay = std::max(delay, Duration(*error.retry_after));
  spdlog::warn(
      "notify channel {}: delivering {} notification(s) failed (attempt {}), next try in {} ms: {}",
      channel_.name, batch.size(), attempts + 1, delay.count(), error.message);
  for (const auto& n : batch) {
    if (auto s = store_.RescheduleNotification(n.id, now + delay, error.message); !s) return s;
    ++pass.rescheduled;
  }
  pass.error = error;
  return Ok();
}

}  // namespace certfleet::notify
