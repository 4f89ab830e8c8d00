// WriteProbe: whether the store can still write, for GET /healthz.
//
// Reads keep working when writes do not (a full disk, a lock held by another process, a
// broken writer connection), so a read-only health check stays green while nothing can
// be issued, renewed, revoked or reported. The probe does one small real write: it
// records the newest revision under the cursor "hub.healthz".
//
// The write runs on the probe's own thread, so a health check answers within
// `answer_within` even when the write waits for a lock (SQLite waits up to its busy
// timeout): a write still running then is reported as a failure. An answer is reused for
// `max_age`, so a flood of health checks costs at most one write per interval.
//
// Thread-safe: concurrent callers share one write and its answer. The destructor waits
// for a write in flight.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "common/error.h"
#include "store/store.h"

namespace certfleet::hub::api {

class WriteProbe {
 public:
  using Steady = std::chrono::steady_clock;

  explicit WriteProbe(store::Store& store, Steady::duration max_age = std::chrono::seconds(1),
                      Steady::duration answer_within = std::chrono::seconds(1))
      : store_(store), max_age_(max_age), answer_within_(answer_within) {}
  ~WriteProbe();
  WriteProbe(const WriteProbe&) = delete;
  WriteProbe& operator=(const WriteProbe&) = delete;

  // Ok when a test write committed within max_age (starting one if none did); else why not.
  Status Check();

 private:
  void Run();

  store::Store& store_;
  const Steady::duration max_age_;
  const Steady::duration answer_within_;
  std::mutex mu_;
  std::condition_variable done_;
  bool running_ = false;
  Steady::time_point started_at_;
  std::optional<Steady::time_point> finished_at_;
  Status last_ = Ok();
  std::thread thread_;
};

}  // namespace certfleet::hub::api
