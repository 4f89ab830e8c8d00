#include "notify/dispatcher.h"

#include <nlohmann/json.hpp>

#include "common/scan_registry.h"
#include "notify/discovered_scan.h"
#include "notify/scans.h"

namespace certfleet::notify {

Dispatcher::Dispatcher(store::Store& store, Clock& clock, const NotifyConfig& config,
                       DispatcherOptions options)
    : store_(store), clock_(clock), config_(config), options_(std::move(options)) {}

Result<std::int64_t> Dispatcher::Enqueue(const PendingNotice& pending) {
  std::int64_t added = 0;
  // Replace, never throw: a notice quotes agent and CA text (review 2026-12-06, F2).
  const std::string payload =
      NoticeToJson(pending.notice).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const TimePoint now = clock_.Now();
  for (const auto& channel : config_.channels) {
    if (!channel.Wants(pending.notice.kind)) continue;
    store::Notification n{.channel = channel.name,
                          .dedup_key = pending.dedup_key,
                          .payload_json = payload,
                          .next_attempt_at = now + channel.group_window};
    auto stored = store_.EnqueueNotification(n);
    if (stored) {
      ++added;
    } else if (stored.error().code != ErrorCode::kAlreadyExists) {
      return Fail(stored.error().WithContext("notify: queueing for channel " + channel.name));
    }
  }
  return added;
}

Result<std::int64_t> Dispatcher::ProcessEvents() {
  auto cursor = store_.GetCursor(options_.cursor);
  if (!cursor) return Fail(cursor.error());
  auto events = store_.ListEventsSince(*cursor, options_.batch);
  if (!events) return Fail(events.error());
  if (events->empty()) return std::int64_t{0};
  const TimePoint now = clock_.Now();
  Names names(store_);
  for (const auto& event : *events) {
    if (now - event.created_at > options_.max_event_age) continue;
    auto notices = NoticesFromEvent(event, store_, names, now);
    if (!notices) {
      return Fail(notices.error().WithContext("notify: event " + std::to_string(event.revision) +
                                              " (" + event.type + ")"));
    }
    for (const auto& pending : *notices) {
      if (auto added = Enqueue(pending); !added) return Fail(added.error());
    }
  }
  if (auto s = store_.SetCursor(options_.cursor, events->back().revision); !s) {
    return Fail(s.error());
  }
  return static_cast<std::int64_t>(events->size());
}

Result<std::int64_t> Dispatcher::RunScans() {
  const TimePoint now = clock_.Now();
  Names names(store_);
  auto expiring = ScanExpiring(store_, names, now, config_.expiry_days);
  if (!expiring) return Fail(expiring.error());
  RecordScanSuccess("expiry", now);
  auto unseen = ScanUnseenAgents(store_, names, now, config_.agent_unseen_after);
  if (!unseen) return Fail(unseen.error());
  RecordScanSuccess("agent_unseen", now);
  auto discovered = ScanDiscoveredExpiring(store_, names, now, config_.expiry_days);
  if (!discovered) return Fail(discovered.error());
  std::vector<PendingNotice> extra;
  if (options_.extra_scan) {
    auto found = options_.extra_scan(now);
    if (!found) return Fail(found.error());
    extra = std::move(*found);
  }
  std::int64_t added = 0;
  for (const auto* list : {&*expiring, &*unseen, &*discovered, &extra}) {
    for (const auto& pending : *list) {
      auto n = Enqueue(pending);
      if (!n) return Fail(n.error());
      added += *n;
    }
  }
  return added;
}

}  // namespace certfleet::notify
