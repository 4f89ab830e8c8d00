#include "hub/api/write_probe.h"

#include <string>

namespace certfleet::hub::api {

WriteProbe::~WriteProbe() {
  if (thread_.joinable()) thread_.join();
}

Status WriteProbe::Check() {
  std::unique_lock lock(mu_);
  if (!running_ && finished_at_ && Steady::now() - *finished_at_ < max_age_) return last_;
  if (!running_) {
    if (thread_.joinable()) thread_.join();  // the previous write, already finished
    running_ = true;
    started_at_ = Steady::now();
    thread_ = std::thread([this] { Run(); });
  }
  if (done_.wait_for(lock, answer_within_, [this] { return !running_; })) return last_;
  const auto waited =
      std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - started_at_);
  return Fail(ErrorCode::kUnavailable, "a test write has not committed after " +
                                           std::to_string(waited.count()) +
                                           " ms (is the database locked or the disk stalled?)");
}

void WriteProbe::Run() {
  auto revision = store_.MaxRevision();
  Status result =
      revision ? store_.SetCursor("hub.healthz", *revision) : Status(Fail(revision.error()));
  std::lock_guard lock(mu_);
  last_ = std::move(result);
  finished_at_ = Steady::now();
  running_ = false;
  done_.notify_all();
}

}  // namespace certfleet::hub::api
