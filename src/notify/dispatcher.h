// Dispatcher: turns what happens in the store into queued notifications, per channel.
//
// ProcessEvents reads the outbox after the consumer cursor, builds notices
// (event_notices.h), enqueues each into every channel whose filter wants it, and only
// then advances the cursor, so a crash repeats events but never loses one (the
// per-channel dedup keys drop the repeats). RunScans enqueues expiry and agent warnings.
//
// Enqueued notifications become due after the channel's group window; the channel
// worker then sends everything gathered meanwhile as one message. The dispatcher never
// talks to a receiver, so a channel that is down cannot slow it (or the pipeline).
//
// Not thread safe: one dispatcher per process, driven by one thread (Service).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "notify/channel_config.h"
#include "notify/event_notices.h"
#include "store/store.h"

namespace certfleet::notify {

struct DispatcherOptions {
  std::string cursor = "notifier";  // consumer cursor name in the store
  std::int64_t batch = 500;         // events read per ProcessEvents call
  // Events older than this are skipped (not announced): a hub started on an old database,
  // or back after a long outage, does not replay yesterday's news. Scans still warn about
  // what matters now.
  Duration max_event_age{std::chrono::hours(24)};
  // A scan the hub adds to RunScans (the issuers' order capacity, issuance/capacity.h, which
  // this library cannot see): called with the clock's time; its notices are enqueued like
  // the built-in scans' (dedup keys included). Unset: none.
  std::function<Result<std::vector<PendingNotice>>(TimePoint now)> extra_scan;
};

class Dispatcher {
 public:
  Dispatcher(store::Store& store, Clock& clock, const NotifyConfig& config,
             DispatcherOptions options = {});

  // Handles up to options.batch events; returns how many were read (0 = caught up).
  Result<std::int64_t> ProcessEvents();

  // Expiry and agent scans; returns how many notifications were newly enqueued.
  Result<std::int64_t> RunScans();

  // Enqueues `pending` into every channel that wants its kind, due after the channel's
  // group window. A dedup_key already present in a channel is skipped silently.
  // Returns how many were newly enqueued.
  Result<std::int64_t> Enqueue(const PendingNotice& pending);

 private:
  store::Store& store_;
  Clock& clock_;
  const NotifyConfig& config_;
  DispatcherOptions options_;
};

}  // namespace certfleet::notify
