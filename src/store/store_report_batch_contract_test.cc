// Contract tests of DeploymentLog::ReportDeployments (issue 16's group commit of agent
// reports), for every Store implementation; and a SIGKILL test of its atomicity on SQLite.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "store/event_types.h"
#include "store/store_contract_fixture.h"

// Designated initializers leave the other members at their defaults (g++ 12 warns).
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class StoreReportBatchContractTest : public contract::StoreContractTest {
 protected:
  // `n` machines hosting one domain with one certificate.
  void SetUpFleet(int n) {
    for (int i = 0; i < n; ++i) machines_.push_back(AddMachine("web-" + std::to_string(i)).id);
    domain_ = AddDomain("shop.example.com", machines_);
    cert_ = AddCert(domain_.id, std::string(64, 'c'));
  }
  DeploymentReport ReportOf(Id machine_id, Id certificate_id) {
    return {Actor{"token:" + std::to_string(machine_id)},
            Deployment{.machine_id = machine_id,
                       .certificate_id = certificate_id,
                       .status = DeploymentStatus::kDeployed,
                       .sha256 = std::string(64, 'c')}};
  }
  int ReportedEvents() {
    int n = 0;
    for (const auto& e : AllEvents()) n += e.type == events::kDeploymentReported;
    return n;
  }

  std::vector<Id> machines_;
  Domain domain_;
  CertificateVersion cert_;
};

TEST_P(StoreReportBatchContractTest, EveryReportOfABatchIsStored) {
  SetUpFleet(3);
  std::vector<DeploymentReport> batch;
  for (Id m : machines_) batch.push_back(ReportOf(m, cert_.id));
  auto results = store_->ReportDeployments(batch);
  ASSERT_EQ(results.size(), 3u);
  for (std::size_t i = 0; i < results.size(); ++i) {
    ASSERT_TRUE(results[i]) << "report " << i << ": " << results[i].error().message;
    EXPECT_EQ(results[i]->deployment.machine_id, machines_[i]) << "results in input order";
    EXPECT_EQ(results[i]->deployment.domain_id, domain_.id);
    EXPECT_EQ(results[i]->machine, "web-" + std::to_string(i));
    EXPECT_EQ(results[i]->domain, "shop.example.com");
  }
  const auto deployments = store_->ListDomainDeployments(domain_.id).value();
  for (const auto& d : deployments)
    EXPECT_EQ(d.status, DeploymentStatus::kDeployed) << "machine " << d.machine_id;
  EXPECT_EQ(ReportedEvents(), 3) << "one deployment.reported per report";
}

TEST_P(StoreReportBatchContractTest, AFailingReportDoesNotLoseTheOthers) {
  SetUpFleet(2);
  auto results =
      store_->ReportDeployments({ReportOf(machines_[0], cert_.id), ReportOf(machines_[1], 999'999),
                                 ReportOf(machines_[1], cert_.id)});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0]) << results[0].error().message;
  ASSERT_FALSE(results[1]) << "a report of an unknown certificate was stored";
  EXPECT_EQ(results[1].error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(results[2]) << results[2].error().message;
  const auto deployments = store_->ListDomainDeployments(domain_.id).value();
  for (const auto& d : deployments)
    EXPECT_EQ(d.status, DeploymentStatus::kDeployed) << "machine " << d.machine_id << " lost";
  EXPECT_EQ(ReportedEvents(), 2) << "the failed report's event must go with it";
  // The revisions handed out stay dense and ordered for the watchers after the rollback.
  auto after = store_->ReportDeployments({ReportOf(machines_[0], cert_.id)});
  ASSERT_TRUE(after[0]);
  const auto all = AllEvents();
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_GT(all[i].revision, all[i - 1].revision);
}

TEST_P(StoreReportBatchContractTest, HostedOnlyRefusesAMachineThatDoesNotHostTheDomain) {
  SetUpFleet(1);
  const Id stranger = AddMachine("stranger").id;
  DeploymentReport foreign = ReportOf(stranger, cert_.id);
  foreign.hosted_only = true;
  DeploymentReport own = ReportOf(machines_[0], cert_.id);
  own.hosted_only = true;
  auto results = store_->ReportDeployments({foreign, own});
  ASSERT_FALSE(results[0]) << "a machine reported for a domain it does not host";
  EXPECT_EQ(results[0].error().code, ErrorCode::kPermissionDenied);
  EXPECT_TRUE(results[1]) << results[1].error().message;
  EXPECT_TRUE(store_->ListMachineDeployments(stranger, 10).value().empty());
}

TEST_P(StoreReportBatchContractTest, ABatchSurvivesAReopen) {
  SetUpFleet(2);
  auto results = store_->ReportDeployments(
      {ReportOf(machines_[0], cert_.id), ReportOf(machines_[1], cert_.id)});
  ASSERT_TRUE(results[0] && results[1]);
  Reopen();
  const auto deployments = store_->ListDomainDeployments(domain_.id).value();
  for (const auto& d : deployments)
    EXPECT_EQ(d.status, DeploymentStatus::kDeployed) << "machine " << d.machine_id;
}

TEST_P(StoreReportBatchContractTest, AnEmptyBatchWritesNothing) {
  SetUpFleet(1);
  const auto before = AllEvents().size();
  EXPECT_TRUE(store_->ReportDeployments({}).empty());
  EXPECT_EQ(AllEvents().size(), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreReportBatchContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

// A process killed at any moment leaves every batch whole or absent, and every batch it
// was told is stored is there (SQLite, WAL; the fixture's sqlite factory).
class SqliteReportBatchKillTest : public StoreReportBatchContractTest {};

TEST_P(SqliteReportBatchKillTest, AKilledWriterLeavesEveryBatchWholeOrAbsent) {
  constexpr int kMachines = 5;
  SetUpFleet(kMachines);
  std::vector<Id> certs;
  for (int i = 0; i < 400; ++i) {
    std::string sha(64, 'd');  // distinct per certificate
    const std::string n = std::to_string(i);
    sha.replace(0, n.size(), n);
    certs.push_back(AddCert(domain_.id, sha).id);
  }
  int acks[2];
  ASSERT_EQ(::pipe(acks), 0);
  store_.reset();
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(acks[0]);
    auto opened = GetParam().open(dir_.string(), &clock_);
    if (!opened) ::_exit(2);
    for (Id cert : certs) {
      std::vector<DeploymentReport> batch;
      for (Id m : machines_) batch.push_back(ReportOf(m, cert));
      for (const auto& r : (*opened)->ReportDeployments(batch))
        if (!r) ::_exit(3);
      if (::write(acks[1], &cert, sizeof cert) != static_cast<ssize_t>(sizeof cert)) ::_exit(4);
    }
    ::pause();  // killed here at the latest
    ::_exit(0);
  }
  ::close(acks[1]);
  std::this_thread::sleep_for(150ms);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer failed on its own: exit " << WEXITSTATUS(status);
  std::set<Id> acked;
  for (Id cert = 0; ::read(acks[0], &cert, sizeof cert) == static_cast<ssize_t>(sizeof cert);)
    acked.insert(cert);
  ::close(acks[0]);
  Reopen();
  std::map<Id, int> stored;  // certificate → reports stored
  for (Id m : machines_) {
    const auto deployments = store_->ListMachineDeployments(m, 1000).value();
    for (const auto& d : deployments) ++stored[d.certificate_id];
  }
  for (const auto& [cert, n] : stored)
    EXPECT_EQ(n, kMachines) << "certificate " << cert << ": a batch was stored in part";
  for (Id cert : acked)
    EXPECT_TRUE(stored.contains(cert)) << "acknowledged batch " << cert << " lost";
  std::printf("killed after %zu acknowledged batches, %zu stored\n", acked.size(), stored.size());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteReportBatchKillTest,
                         ::testing::Values(contract::SqliteFactory()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
