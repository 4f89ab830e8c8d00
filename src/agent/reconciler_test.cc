#include "agent/reconciler.h"

#include <gtest/gtest.h>

namespace certfleet::agent {
namespace {

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');
const TimePoint kNow{std::chrono::seconds(1'700'000'000)};

DesiredCertificate Want(std::string domain, CertificateId id, std::string sha) {
  return DesiredCertificate{std::move(domain), {}, id, std::move(sha), std::nullopt};
}

DesiredState State(std::vector<DesiredCertificate> certs) {
  return DesiredState{"web-1", 7, std::move(certs)};
}

TEST(ReconcilerTest, InstallsACertificateThatIsNotOnDisk) {
  Plan plan =
      Reconcile(State({Want("shop.example.com", 1, kShaA)}), {}, {}, RemovePolicy::kKeep, kNow);
  ASSERT_EQ(plan.install.size(), 1u) << "a new certificate must be installed";
  EXPECT_EQ(plan.install[0].domain, "shop.example.com");
  EXPECT_TRUE(plan.confirm.empty() && plan.remove.empty() && plan.refuse.empty());
}

TEST(ReconcilerTest, ReplacesAnOlderCertificate) {
  Inventory disk{{"shop.example.com", {kShaA, 1}}};
  Plan plan =
      Reconcile(State({Want("shop.example.com", 2, kShaB)}), disk, {}, RemovePolicy::kKeep, kNow);
  ASSERT_EQ(plan.install.size(), 1u) << "a renewed certificate must replace the old one";
  EXPECT_EQ(*plan.install[0].certificate_id, 2);
}

TEST(ReconcilerTest, DoesNothingWhenDiskMatchesAndWasReported) {
  Inventory disk{{"shop.example.com", {kShaA, 1}}};
  AgentMemory memory;
  memory.reported["shop.example.com"] = kShaA;
  Plan plan = Reconcile(State({Want("shop.example.com", 1, kShaA)}), disk, memory,
                        RemovePolicy::kKeep, kNow);
  EXPECT_TRUE(plan.Empty()) << "a converged machine needs no work";
}

TEST(ReconcilerTest, ConfirmsMatchingFilesNotYetReported) {
  Inventory disk{{"shop.example.com", {kShaA, 1}}};
  Plan plan =
      Reconcile(State({Want("shop.example.com", 1, kShaA)}), disk, {}, RemovePolicy::kKeep, kNow);
  EXPECT_TRUE(plan.install.empty()) << "matching files must not be rewritten";
  ASSERT_EQ(plan.confirm.size(), 1u) << "files found on start must be verified and reported";
}

TEST(ReconcilerTest, RefusesNamesThatCouldBecomePaths) {
  for (const std::string bad : {"../etc", "a/b.example.com", "evil\\x.com", "", "x..y.com"}) {
    Plan plan = Reconcile(State({Want(bad, 1, kShaA)}), {}, {}, RemovePolicy::kKeep, kNow);
    EXPECT_TRUE(plan.install.empty()) << "\"" << bad << "\" must never be written";
    ASSERT_EQ(plan.refuse.size(), 1u) << "\"" << bad << "\" must be refused and reported";
    EXPECT_NE(plan.refuse[0].reason.find("refused domain name"), std::string::npos)
        << plan.refuse[0].reason;
    EXPECT_EQ(plan.refuse[0].certificate_id, 1);
  }
}

TEST(ReconcilerTest, NormalizesUpperCaseNames) {
  Plan plan =
      Reconcile(State({Want("Shop.Example.COM.", 1, kShaA)}), {}, {}, RemovePolicy::kKeep, kNow);
  ASSERT_EQ(plan.install.size(), 1u);
  EXPECT_EQ(plan.install[0].domain, "shop.example.com");
}

TEST(ReconcilerTest, RefusesADomainListedTwice) {
  Plan plan = Reconcile(State({Want("a.example.com", 1, kShaA), Want("A.example.com", 2, kShaB)}),
                        {}, {}, RemovePolicy::kKeep, kNow);
  EXPECT_EQ(plan.install.size(), 1u);
  ASSERT_EQ(plan.refuse.size(), 1u) << "the second entry for one folder must be refused";
}

TEST(ReconcilerTest, RefusesAMalformedFingerprint) {
  Plan plan =
      Reconcile(State({Want("a.example.com", 1, "ABC")}), {}, {}, RemovePolicy::kKeep, kNow);
  EXPECT_TRUE(plan.install.empty());
  EXPECT_EQ(plan.refuse.size(), 1u);
}

TEST(ReconcilerTest, LeavesFilesOfADomainWithoutCertificateYet) {
  Inventory disk{{"a.example.com", {kShaA, 1}}};
  DesiredCertificate pending{"a.example.com", {}, std::nullopt, "", std::nullopt};
  Plan plan = Reconcile(State({pending}), disk, {}, RemovePolicy::kRemove, kNow);
  EXPECT_TRUE(plan.Empty()) << "no certificate on the hub yet must not remove the one on disk";
}

TEST(ReconcilerTest, RetriesAFailedCertificateOnlyWhenItsAttemptIsDue) {
  AgentMemory memory;
  memory.failed["a.example.com"] = Attempt{kShaB, 1, kNow + std::chrono::seconds(5)};
  Inventory disk{{"a.example.com", {kShaA, 1}}};
  Plan plan = Reconcile(State({Want("a.example.com", 2, kShaB)}), disk, memory,
                        RemovePolicy::kRemove, kNow);
  EXPECT_TRUE(plan.Empty())
      << "a failed certificate waits for its retry, and the old one is not removed";
  plan = Reconcile(State({Want("a.example.com", 2, kShaB)}), disk, memory, RemovePolicy::kRemove,
                   kNow + std::chrono::seconds(5));
  EXPECT_EQ(plan.install.size(), 1u) << "when the attempt is due it is tried again";
  memory.failed.clear();
  plan = Reconcile(State({Want("a.example.com", 2, kShaB)}), disk, memory, RemovePolicy::kRemove,
                   kNow);
  EXPECT_EQ(plan.install.size(), 1u) << "after the failure is forgotten it is tried at once";
}

TEST(ReconcilerTest, RetriesWhenTheHubSendsANewCertificateAfterAFailure) {
  AgentMemory memory;
  memory.failed["a.example.com"] = Attempt{kShaB, 3, kNow + std::chrono::minutes(5)};
  Plan plan =
      Reconcile(State({Want("a.example.com", 3, kShaA)}), {}, memory, RemovePolicy::kKeep, kNow);
  EXPECT_EQ(plan.install.size(), 1u);
}

TEST(ReconcilerTest, BacksOffFromFiveSecondsToTenMinutes) {
  const Attempt first = NextAttempt(nullptr, kShaA, kNow, kFirstRetry, kMaxRetry);
  EXPECT_EQ(first.count, 1);
  EXPECT_EQ(first.due, kNow + std::chrono::seconds(5));
  Attempt a = first;
  for (int i = 0; i < 20; ++i) a = NextAttempt(&a, kShaA, kNow, kFirstRetry, kMaxRetry);
  EXPECT_EQ(a.due, kNow + std::chrono::minutes(10)) << "the delay is capped";
  const Attempt other = NextAttempt(&a, kShaB, kNow, kFirstRetry, kMaxRetry);
  EXPECT_EQ(other.count, 1) << "a new certificate starts afresh";
  EXPECT_EQ(NextAttempt(&first, kShaA, kNow, kFirstRetry, kMaxRetry).due,
            kNow + std::chrono::seconds(10));
}

TEST(ReconcilerTest, AnInstallNginxDoesNotServeYetIsProbedWhenDueNeverReinstalled) {
  AgentMemory memory;
  memory.unserved["a.example.com"] = Attempt{kShaA, 1, kNow + std::chrono::seconds(2)};
  Inventory disk{{"a.example.com", {kShaA, 1}}};
  Plan early =
      Reconcile(State({Want("a.example.com", 1, kShaA)}), disk, memory, RemovePolicy::kKeep, kNow);
  EXPECT_TRUE(early.Empty()) << "not due yet";
  Plan due = Reconcile(State({Want("a.example.com", 1, kShaA)}), disk, memory, RemovePolicy::kKeep,
                       kNow + std::chrono::seconds(2));
  ASSERT_EQ(due.probe.size(), 1u);
  EXPECT_TRUE(due.install.empty() && due.confirm.empty()) << "kept files are only probed";
  Plan renewed =
      Reconcile(State({Want("a.example.com", 2, kShaB)}), disk, memory, RemovePolicy::kKeep, kNow);
  EXPECT_EQ(renewed.install.size(), 1u) << "a new certificate is installed regardless";
}

TEST(ReconcilerTest, NextDueIsTheEarliestAttempt) {
  AgentMemory memory;
  EXPECT_FALSE(NextDue(memory));
  memory.failed["a"] = Attempt{kShaA, 1, kNow + std::chrono::seconds(9)};
  memory.unserved["b"] = Attempt{kShaB, 1, kNow + std::chrono::seconds(3)};
  EXPECT_EQ(NextDue(memory), kNow + std::chrono::seconds(3));
}

TEST(ReconcilerTest, RemovesDomainsOnlyWithTheRemovePolicy) {
  Inventory disk{{"gone.example.com", {kShaA, 1}}};
  Plan keep = Reconcile(State({}), disk, {}, RemovePolicy::kKeep, kNow);
  EXPECT_TRUE(keep.remove.empty()) << "remove_policy keep must leave files of dropped domains";
  Plan remove = Reconcile(State({}), disk, {}, RemovePolicy::kRemove, kNow);
  ASSERT_EQ(remove.remove.size(), 1u);
  EXPECT_EQ(remove.remove[0], "gone.example.com");
}

TEST(ReconcilerTest, AcceptsWildcardDomains) {
  Plan plan =
      Reconcile(State({Want("*.example.com", 1, kShaA)}), {}, {}, RemovePolicy::kKeep, kNow);
  ASSERT_EQ(plan.install.size(), 1u);
  EXPECT_EQ(plan.install[0].domain, "*.example.com");
}

}  // namespace
}  // namespace certfleet::agent
