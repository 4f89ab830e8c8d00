// PgLeaderLock: one holder per database and name; the lock passes to another hub when the
// holder's session ends (process gone, or the server ended the session).
#include "store/postgres/pg_leader_lock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "harness/net.h"
#include "harness/postgres_server.h"
#include "store/postgres/postgres_store.h"
#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

using namespace std::chrono_literals;

class PgLeaderLockTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = contract::PostgresForTests::Get().Start();
    ASSERT_TRUE(started) << started.error().message;
  }
  std::unique_ptr<LeaderLock> Open(const std::string& name) {
    return OpenPostgresLeaderLock(contract::PostgresForTests::Get().Options("postgres", nullptr),
                                  name, 0ms);
  }
  harness::PostgresServer& server() { return *contract::PostgresForTests::Get().server; }
};

TEST_F(PgLeaderLockTest, OneHolderAtATimeAndTheNextTakesOverWhenItIsGone) {
  auto a = Open("relay-a");
  auto b = Open("relay-a");
  ASSERT_TRUE(a->Held()) << "nobody held it";
  EXPECT_TRUE(a->Held()) << "the holder must keep it";
  EXPECT_FALSE(b->Held()) << "two holders at once";
  a.reset();  // the hub is gone: its session ends
  EXPECT_TRUE(harness::WaitFor([&] { return b->Held(); }, 10s, 10ms))
      << "the lock did not pass to the other hub";
}

TEST_F(PgLeaderLockTest, LocksWithOtherNamesAreIndependent) {
  auto relay = Open("relay-b");
  auto notifier = Open("notifier-b");
  EXPECT_TRUE(relay->Held());
  EXPECT_TRUE(notifier->Held());
}

TEST_F(PgLeaderLockTest, AHolderWhoseSessionWasEndedLosesTheLockAndAnotherTakesIt) {
  auto a = Open("relay-c");
  auto b = Open("relay-c");
  ASSERT_TRUE(a->Held());
  ASSERT_FALSE(b->Held());
  // The server ends a's session (as when the database restarts or a network drops it).
  auto ended = server().Psql(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory' "
      "AND classid = 1667629057 AND granted");
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_TRUE(harness::WaitFor([&] { return !a->Held(); }, 10s, 10ms))
      << "the old holder still believes it leads";
  EXPECT_TRUE(harness::WaitFor([&] { return b->Held() || a->Held(); }, 10s, 10ms))
      << "nobody took the lock over";
  EXPECT_FALSE(a->Held() && b->Held()) << "two holders at once";
}

}  // namespace
}  // namespace certfleet::store
