// ReportBatcher: group commit of the agents' deployment reports (issue 16).
//
// A report's write transaction was the largest single cost of an agent's pass (its
// COMMIT: WAL frames and their pwrite). Reports that arrive while one batch is being
// written wait and go into the next, written in one transaction with a savepoint each
// (store::DeploymentLog::ReportDeployments): one commit for all of them, and a failing
// report fails alone. Nothing waits on purpose: a lone report is written at once.
//
// Each report's `done` runs on the batcher's thread after the transaction ended, with
// that report's own result, so an agent is answered only once its report is durable
// (or with the error that kept it from being stored).
//
// Thread safety: Submit from any thread. Stop (also the destructor) writes what was
// submitted before it, then joins the thread; a Submit after Stop is answered at once
// with kUnavailable.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "store/deployment_log.h"

namespace certfleet::hub::api {

class ReportBatcher {
 public:
  using Done = std::function<void(Result<store::StoredReport>)>;
  static constexpr std::size_t kMaxBatch = 256;

  explicit ReportBatcher(store::DeploymentLog& log, std::size_t max_batch = kMaxBatch);
  ~ReportBatcher();
  ReportBatcher(const ReportBatcher&) = delete;
  ReportBatcher& operator=(const ReportBatcher&) = delete;

  void Submit(store::DeploymentReport report, Done done);
  void Stop();

 private:
  struct Pending {
    store::DeploymentReport report;
    Done done;
  };
  void Run();
  void Write(std::vector<Pending>& batch);

  store::DeploymentLog& log_;
  const std::size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Pending> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace certfleet::hub::api
