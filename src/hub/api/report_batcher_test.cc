// ReportBatcher: group commit of deployment reports (issue 16). Runs under TSan too.
#include "hub/api/report_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

// Designated initializers leave the other members at their defaults (g++ 12 warns).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::hub::api {
namespace {

using namespace std::chrono_literals;

// A DeploymentLog whose batch writes are recorded; the first can be held, so that the
// reports submitted meanwhile pile up. Certificate 13 fails; certificate 66 throws.
class FakeLog final : public store::DeploymentLog {
 public:
  std::vector<Result<store::StoredReport>> ReportDeployments(
      const std::vector<store::DeploymentReport>& reports) override {
    {
      std::unique_lock lock(mu);
      batches.push_back(reports.size());
      entered.notify_all();
      released.wait(lock, [&] { return !hold; });
    }
    std::vector<Result<store::StoredReport>> out;
    for (const auto& r : reports) {
      if (r.deployment.certificate_id == 66) throw std::runtime_error("disk on fire");
      if (r.deployment.certificate_id == 13) {
        out.push_back(Fail(ErrorCode::kNotFound, "certificate 13 not found"));
      } else {
        out.push_back(store::StoredReport{r.deployment, r.actor.name, "shop.example.com"});
      }
    }
    return out;
  }
  Result<store::Deployment> ReportDeployment(const store::Actor&,
                                             const store::Deployment& d) override {
    return d;
  }
  Result<std::vector<store::Deployment>> ListDomainDeployments(store::Id) override {
    return std::vector<store::Deployment>{};
  }
  Result<std::vector<store::DomainDeployments>> ListDomainsDeployments(
      const std::vector<store::Id>&) override {
    return std::vector<store::DomainDeployments>{};
  }
  Result<std::vector<store::Deployment>> ListMachineDeployments(store::Id, std::int64_t) override {
    return std::vector<store::Deployment>{};
  }
  Result<store::DeploymentGaps> ListDeploymentGaps(std::int64_t) override {
    return store::DeploymentGaps{};
  }

  void Release() {
    std::lock_guard lock(mu);
    hold = false;
    released.notify_all();
  }
  void WaitForBatches(std::size_t n) {
    std::unique_lock lock(mu);
    entered.wait(lock, [&] { return batches.size() >= n; });
  }

  std::mutex mu;
  std::condition_variable entered, released;
  bool hold = false;
  std::vector<std::size_t> batches;
};

store::DeploymentReport ReportOf(store::Id machine, store::Id certificate) {
  return {store::Actor{"web-" + std::to_string(machine)},
          store::Deployment{.machine_id = machine, .certificate_id = certificate}};
}

// Collects the answers of the submitted reports, by machine id.
struct Answers {
  std::mutex mu;
  std::condition_variable cv;
  std::map<store::Id, Result<store::StoredReport>> by_machine;

  ReportBatcher::Done For(store::Id machine) {
    return [this, machine](Result<store::StoredReport> r) {
      std::lock_guard lock(mu);
      by_machine.insert_or_assign(machine, std::move(r));
      cv.notify_all();
    };
  }
  bool WaitFor(std::size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, 10s, [&] { return by_machine.size() >= n; });
  }
};

TEST(ReportBatcher, ReportsArrivingDuringAWriteGoIntoOneBatch) {
  FakeLog log;
  log.hold = true;
  ReportBatcher batcher(log);
  Answers answers;
  batcher.Submit(ReportOf(0, 1), answers.For(0));
  log.WaitForBatches(1);  // the first report is being written alone
  std::vector<std::thread> agents;
  for (store::Id m = 1; m <= 8; ++m) {
    agents.emplace_back([&, m] { batcher.Submit(ReportOf(m, 1), answers.For(m)); });
  }
  for (auto& t : agents) t.join();
  log.Release();
  ASSERT_TRUE(answers.WaitFor(9)) << "not every agent was answered";
  EXPECT_EQ(log.batches, (std::vector<std::size_t>{1, 8}))
      << "the reports that arrived during the first write must share the next one";
  for (const auto& [m, r] : answers.by_machine) {
    ASSERT_TRUE(r) << "machine " << m << ": " << r.error().message;
    EXPECT_EQ(r->deployment.machine_id, m) << "an agent got another agent's result";
  }
}

TEST(ReportBatcher, AFailedReportFailsAlone) {
  FakeLog log;
  log.hold = true;
  ReportBatcher batcher(log);
  Answers answers;
  batcher.Submit(ReportOf(0, 1), answers.For(0));
  log.WaitForBatches(1);
  batcher.Submit(ReportOf(1, 1), answers.For(1));
  batcher.Submit(ReportOf(2, 13), answers.For(2));
  batcher.Submit(ReportOf(3, 1), answers.For(3));
  log.Release();
  ASSERT_TRUE(answers.WaitFor(4));
  EXPECT_TRUE(answers.by_machine.at(1));
  ASSERT_FALSE(answers.by_machine.at(2));
  EXPECT_EQ(answers.by_machine.at(2).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(answers.by_machine.at(3)) << "a report batched with a failing one was lost";
}

TEST(ReportBatcher, AThrowingStoreFailsItsBatchAndTheBatcherGoesOn) {
  FakeLog log;
  ReportBatcher batcher(log);
  Answers answers;
  batcher.Submit(ReportOf(1, 66), answers.For(1));
  ASSERT_TRUE(answers.WaitFor(1));
  ASSERT_FALSE(answers.by_machine.at(1));
  EXPECT_EQ(answers.by_machine.at(1).error().code, ErrorCode::kInternal);
  batcher.Submit(ReportOf(2, 1), answers.For(2));
  ASSERT_TRUE(answers.WaitFor(2)) << "the batcher stopped after a throw";
  EXPECT_TRUE(answers.by_machine.at(2));
}

TEST(ReportBatcher, StopWritesWhatWasSubmittedAndRefusesTheRest) {
  FakeLog log;
  log.hold = true;
  auto batcher = std::make_unique<ReportBatcher>(log);
  Answers answers;
  batcher->Submit(ReportOf(0, 1), answers.For(0));
  log.WaitForBatches(1);
  batcher->Submit(ReportOf(1, 1), answers.For(1));
  std::thread stopper([&] { batcher->Stop(); });
  log.Release();
  stopper.join();
  ASSERT_TRUE(answers.WaitFor(2));
  EXPECT_TRUE(answers.by_machine.at(1)) << "a report submitted before Stop was dropped";
  batcher->Submit(ReportOf(2, 1), answers.For(2));
  ASSERT_TRUE(answers.WaitFor(3));
  ASSERT_FALSE(answers.by_machine.at(2));
  EXPECT_EQ(answers.by_machine.at(2).error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace certfleet::hub::api
