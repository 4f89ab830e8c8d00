#include "hub/api/report_batcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace certfleet::hub::api {

ReportBatcher::ReportBatcher(store::DeploymentLog& log, std::size_t max_batch)
    : log_(log), max_batch_(std::max<std::size_t>(max_batch, 1)) {
  thread_ = std::thread([this] { Run(); });
}

ReportBatcher::~ReportBatcher() { Stop(); }

void ReportBatcher::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReportBatcher::Submit(store::DeploymentReport report, Done done) {
  {
    std::lock_guard lock(mu_);
    if (!stop_) {
      queue_.push_back({std::move(report), std::move(done)});
      cv_.notify_one();
      return;
    }
  }
  done(Fail(ErrorCode::kUnavailable, "the hub is stopping; report again"));
}

void ReportBatcher::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything submitted was written
    const auto n = std::min(queue_.size(), max_batch_);
    std::vector<Pending> batch(std::make_move_iterator(queue_.begin()),
                               std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    lock.unlock();
    Write(batch);
    lock.lock();
  }
}

void ReportBatcher::Write(std::vector<Pending>& batch) {
  std::vector<store::DeploymentReport> reports;
  reports.reserve(batch.size());
  for (auto& p : batch) reports.push_back(std::move(p.report));
  std::vector<Result<store::StoredReport>> results;
  try {  // a background job: an exception is this batch's error, not the hub's end
    results = log_.ReportDeployments(reports);
  } catch (const std::exception& e) {
    spdlog::error("hub api: storing {} deployment reports threw: {}", reports.size(), e.what());
  }
  if (results.size() != batch.size()) {
    results.assign(batch.size(),
                   Fail(ErrorCode::kInternal, "storing the deployment report failed"));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(std::move(results[i]));
}

}  // namespace certfleet::hub::api
