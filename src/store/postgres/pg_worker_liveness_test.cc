// On PostgreSQL the claim also takes the lease of a worker whose liveness lock is gone (its
// hub was killed or lost its session), before that lease expires; a live worker's lease and
// owners outside the worker-id format keep the plain lease rules (store_claim_contract_test).
#include <gtest/gtest.h>

#include <chrono>

#include "harness/net.h"
#include "store/postgres/postgres_store.h"
#include "store/store_contract_fixture.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class PgWorkerLivenessTest : public contract::StoreContractTest {
 protected:
  std::vector<Domain> Claim(const std::string& owner, Duration later) {
    auto got = store_->ClaimDueDomains(
        ClaimRequest{.owner = owner, .now = clock_.Now() + later, .lease_for = 10min});
    EXPECT_TRUE(got) << got.error().message;
    return got.value_or(std::vector<Domain>{});
  }
  // The lock a hub's worker holds while it lives, on this test's database.
  std::unique_ptr<LeaderLock> LivenessLock(const std::string& worker_id) {
    auto& pg = contract::PostgresForTests::Get();
    auto database = pg.DatabaseFor(dir_.string());
    EXPECT_TRUE(database) << database.error().message;
    return OpenPostgresLeaderLock(pg.Options(database.value_or(""), nullptr), worker_id, 0ms);
  }
  const std::string hub_a_ = "w-00000000000000aa";
  const std::string hub_b_ = "w-00000000000000bb";
};

TEST_P(PgWorkerLivenessTest, ALiveWorkersLeaseIsKeptAndTakenAtOnceWhenItsHubDies) {
  AddDomain("failover.example.com", {}, clock_.Now() - 1s);
  auto alive_a = LivenessLock(hub_a_);
  auto alive_b = LivenessLock(hub_b_);
  ASSERT_TRUE(alive_a->Held());
  ASSERT_TRUE(alive_b->Held());
  ASSERT_EQ(Claim(hub_a_ + "/0", 0s).size(), 1u);
  EXPECT_TRUE(Claim(hub_b_ + "/0", 1s).empty()) << "took the lease of a worker that is alive";
  alive_a.reset();  // hub a is killed: PostgreSQL ends its session and releases its lock
  std::vector<Domain> taken;
  EXPECT_TRUE(harness::WaitFor(
      [&] {
        taken = Claim(hub_b_ + "/0", 2s);  // 2 s into a 10-minute lease
        return !taken.empty();
      },
      10s, 20ms))
      << "the lease of a dead worker was not taken before it expired";
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_EQ(taken[0].lease_owner, hub_b_ + "/0");
}

TEST_P(PgWorkerLivenessTest, AWorkerIdOnAnotherDatabaseDoesNotKeepALeaseAlive) {
  AddDomain("other-db.example.com", {}, clock_.Now() - 1s);
  auto& pg = contract::PostgresForTests::Get();
  // Same server, same id, but the lock is taken on database "postgres".
  auto elsewhere = OpenPostgresLeaderLock(pg.Options("postgres", nullptr), hub_a_, 0ms);
  ASSERT_TRUE(elsewhere->Held());
  ASSERT_EQ(Claim(hub_a_ + "/0", 0s).size(), 1u);
  EXPECT_EQ(Claim(hub_b_ + "/0", 1s).size(), 1u)
      << "a lock on another database kept this database's lease alive";
}

INSTANTIATE_TEST_SUITE_P(Postgres, PgWorkerLivenessTest,
                         ::testing::Values(contract::PostgresFactory()), contract::FactoryName);

}  // namespace
}  // namespace certfleet::store
