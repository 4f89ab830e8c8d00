// Contract tests of issuance claims and leases (Store::ClaimDueDomains, ExtendLease and
// the writes made under a Lease), for every Store implementation.
//
// The rules: a due domain goes to exactly one claimer; a held lease keeps other owners
// out until it expires; the owner itself re-takes its lease at once (a restarted worker
// resumes its order without waiting), and every claim fences off the Lease values handed
// out before it.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class StoreClaimContractTest : public contract::StoreContractTest {
 protected:
  // Claims as `owner` at now + `later`; asserts the call succeeded.
  std::vector<Domain> Claim(const std::string& owner, Duration later = 0s,
                            Duration lease_for = 10min) {
    auto got = store_->ClaimDueDomains(
        ClaimRequest{.owner = owner, .now = clock_.Now() + later, .lease_for = lease_for});
    EXPECT_TRUE(got) << got.error().message;
    return got.value_or(std::vector<Domain>{});
  }
  static Lease LeaseOf(const Domain& claimed) {
    return Lease{claimed.id, claimed.lease_owner, claimed.lease_until.value_or(TimePoint{})};
  }
  Order StartOrder(const Lease& lease) {
    auto order = store_->CreateOrder(
        actor_, lease,
        Order{
            .domain_id = lease.domain_id, .issuer = "letsencrypt", .state = OrderState::kPending});
    EXPECT_TRUE(order) << order.error().message;
    return order.value_or(Order{});
  }
};

TEST_P(StoreClaimContractTest, ConcurrentClaimersNeverShareADomain) {
  constexpr int kDomains = 40;
  for (int i = 0; i < kDomains; ++i) {
    AddDomain("d" + std::to_string(i) + ".example.com", {}, clock_.Now() - 1s);
  }
  std::mutex mu;
  std::vector<Id> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      // Like a worker: claim, finish (release, next attempt much later), claim again.
      while (true) {
        auto got = store_->ClaimDueDomains(
            ClaimRequest{.owner = "w" + std::to_string(t), .now = clock_.Now(), .limit = 3});
        ASSERT_TRUE(got) << got.error().message;
        if (got->empty()) return;
        for (const auto& d : *got) {
          AttemptUpdate done{.status = DomainStatus::kValid,
                             .next_attempt_at = clock_.Now() + 24h,
                             .release = true};
          auto released = store_->UpdateAttempt(actor_, LeaseOf(d), done);
          ASSERT_TRUE(released) << released.error().message;
          std::lock_guard lock(mu);
          claimed.push_back(d.id);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<Id> unique(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), static_cast<size_t>(kDomains))
      << "a domain was claimed twice or missed";
  EXPECT_EQ(unique.size(), static_cast<size_t>(kDomains));
}

TEST_P(StoreClaimContractTest, ExpiredLeaseIsReclaimedAndOrderResumed) {
  Domain d = AddDomain("shop.example.com", {}, clock_.Now());
  auto first = Claim("a", 0s, 60s);
  ASSERT_EQ(first.size(), 1u);
  const Lease lease_a = LeaseOf(first[0]);
  const Order order = StartOrder(lease_a);
  EXPECT_TRUE(Claim("b", 30s).empty()) << "a held lease was taken by another owner";
  auto later = Claim("b", 61s);
  ASSERT_EQ(later.size(), 1u) << "an expired lease was not reclaimable";
  auto active = store_->GetActiveOrder(d.id);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->id, order.id) << "the new holder cannot find the order to resume";
  Order step = *active;
  step.state = OrderState::kReady;
  auto lost = store_->SaveOrder(actor_, lease_a, step);
  ASSERT_FALSE(lost) << "the old holder could still write after losing its lease";
  EXPECT_EQ(lost.error().code, ErrorCode::kConflict);
  const Lease lease_b = LeaseOf(later[0]);
  EXPECT_TRUE(store_->SaveOrder(actor_, lease_b, step));
  auto second =
      store_->CreateOrder(actor_, lease_b, Order{.domain_id = d.id, .issuer = "letsencrypt"});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, ErrorCode::kAlreadyExists) << "two unfinished orders per domain";
}

// A worker killed mid-order and restarted has the same owner id: it must not wait for
// its own lease to expire.
TEST_P(StoreClaimContractTest, OwnerReclaimsItsOwnUnexpiredLeaseAtOnce) {
  Domain d = AddDomain("resume.example.com", {}, clock_.Now());
  auto first = Claim("w-1/0");
  ASSERT_EQ(first.size(), 1u);
  const Order order = StartOrder(LeaseOf(first[0]));

  auto again = Claim("w-1/0", 1s);
  ASSERT_EQ(again.size(), 1u) << "the owner of an unexpired lease could not re-take it";
  EXPECT_EQ(again[0].id, d.id);
  EXPECT_EQ(again[0].lease_owner, "w-1/0");
  EXPECT_EQ(again[0].lease_until, clock_.Now() + 1s + 10min) << "the re-claim must renew the lease";
  auto active = store_->GetActiveOrder(d.id);
  ASSERT_TRUE(active) << active.error().message;
  EXPECT_EQ(active->id, order.id) << "the order saved before the restart must be resumable";
  Order step = *active;
  step.state = OrderState::kReady;
  EXPECT_TRUE(store_->SaveOrder(actor_, LeaseOf(again[0]), step))
      << "the re-claimed lease must allow saving the resumed order";
}

// The re-claim moves lease_until, so whoever still holds the earlier Lease value (the
// same owner id used twice by mistake) cannot write any more.
TEST_P(StoreClaimContractTest, ReclaimFencesOffTheEarlierLeaseValue) {
  AddDomain("fence.example.com", {}, clock_.Now());
  auto first = Claim("w-1/0");
  ASSERT_EQ(first.size(), 1u);
  const Lease old_lease = LeaseOf(first[0]);
  Order order = StartOrder(old_lease);
  auto again = Claim("w-1/0", 1s);
  ASSERT_EQ(again.size(), 1u);

  order.state = OrderState::kReady;
  auto saved = store_->SaveOrder(actor_, old_lease, order);
  ASSERT_FALSE(saved) << "a Lease value from before the re-claim could still save the order";
  EXPECT_EQ(saved.error().code, ErrorCode::kConflict) << saved.error().message;
  auto extended = store_->ExtendLease(old_lease, clock_.Now() + 1h);
  ASSERT_FALSE(extended) << "a Lease value from before the re-claim could still be extended";
  EXPECT_EQ(extended.error().code, ErrorCode::kConflict);
}

// Owner ids match exactly: another slot of the same hub, or another hub, keeps out.
TEST_P(StoreClaimContractTest, OtherOwnersKeepOutOfAnUnexpiredLease) {
  AddDomain("held.example.com", {}, clock_.Now());
  ASSERT_EQ(Claim("w-1/0").size(), 1u);
  EXPECT_TRUE(Claim("w-1/1", 1s).empty()) << "another worker slot took a held lease";
  EXPECT_TRUE(Claim("w-2/0", 1s).empty()) << "another hub took a held lease";
  EXPECT_TRUE(Claim("w-1", 1s).empty()) << "owner ids must match exactly, not by prefix";
  EXPECT_TRUE(Claim("w-1/", 1s).empty()) << "owner ids must match exactly, not by prefix";
}

// Holding the lease does not make a domain due: the claim still honours next_attempt_at.
TEST_P(StoreClaimContractTest, OwnLeaseIsReclaimedOnlyWhenTheDomainIsDue) {
  AddDomain("later.example.com", {}, clock_.Now());
  auto first = Claim("w-1/0");
  ASSERT_EQ(first.size(), 1u);
  AttemptUpdate wait{.status = DomainStatus::kIssuing, .next_attempt_at = clock_.Now() + 1h};
  ASSERT_TRUE(store_->UpdateAttempt(actor_, LeaseOf(first[0]), wait));
  EXPECT_TRUE(Claim("w-1/0", 1s).empty()) << "a domain not yet due was claimed";
  EXPECT_EQ(Claim("w-1/0", 1h).size(), 1u) << "the due domain was not re-claimed by its owner";
}

TEST_P(StoreClaimContractTest, ManualDomainsAreNeverClaimed) {
  Domain manual;
  manual.name = "manual.example.com";
  manual.issuer = "manual";
  manual.next_attempt_at = clock_.Now();
  ASSERT_TRUE(store_->CreateDomain(actor_, manual));
  EXPECT_TRUE(Claim("w-1/0").empty())
      << "the worker must not order certificates for manual domains";
}

// The CA answers again: the issuer's failed domains become due at once, nothing else.
TEST_P(StoreClaimContractTest, ExpediteRetriesWakesOnlyTheIssuersFailedDomains) {
  AddDomain("failed.example.com", {}, clock_.Now());
  auto claimed = Claim("w-1/0");
  ASSERT_EQ(claimed.size(), 1u);
  AttemptUpdate failed{.status = DomainStatus::kFailed,
                       .last_error = "connection refused",
                       .failure_count = 3,
                       .next_attempt_at = clock_.Now() + 4h,
                       .release = true};
  ASSERT_TRUE(store_->UpdateAttempt(actor_, LeaseOf(claimed[0]), failed));
  Domain valid = AddDomain("valid.example.com", {}, clock_.Now() + 24h);
  Domain other = AddDomain("other-ca.example.com", {}, clock_.Now() + 4h);
  other.issuer = "another-ca";
  other.status = DomainStatus::kFailed;
  ASSERT_TRUE(store_->UpdateDomain(actor_, other));

  auto woken = store_->ExpediteRetries("letsencrypt", clock_.Now() + 1min);
  ASSERT_TRUE(woken) << woken.error().message;
  EXPECT_EQ(*woken, 1) << "only the failed domain of this issuer may be woken";
  auto due = Claim("w-2/0", 1min);
  ASSERT_EQ(due.size(), 1u) << "the woken domain must be due at once";
  EXPECT_EQ(due[0].name, "failed.example.com");
  EXPECT_EQ(due[0].failure_count, 3) << "waking must keep the failure count (the backoff)";
  EXPECT_EQ(due[0].last_error, "connection refused");
  auto again = store_->ExpediteRetries("letsencrypt", clock_.Now() + 1min);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, 0) << "a domain already due is not counted twice";
  EXPECT_EQ(store_->GetDomain(valid.id)->next_attempt_at, valid.next_attempt_at);
}

TEST_P(StoreClaimContractTest, EmptyOwnerIsRefused) {
  AddDomain("shop.example.com", {}, clock_.Now());
  auto got = store_->ClaimDueDomains(ClaimRequest{.owner = "", .now = clock_.Now()});
  ASSERT_FALSE(got) << "a claim without an owner id would make an unfenced lease";
  EXPECT_EQ(got.error().code, ErrorCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreClaimContractTest,
                         ::testing::ValuesIn(contract::AllFactories()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
