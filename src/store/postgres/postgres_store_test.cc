// Opening the PostgreSQL store: every operator mistake gives one line naming what to fix
// and starts nothing; two hubs with different master keys are refused; hubs that start
// together migrate once.
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "harness/postgres_server.h"
#include "store/store_contract_fixture.h"

namespace certfleet::store {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = contract::PostgresForTests::Get().Start();
    ASSERT_TRUE(started) << started.error().message;
  }
  harness::PostgresServer& server() { return *contract::PostgresForTests::Get().server; }
  PostgresOptions Options(const std::string& database) {
    return contract::PostgresForTests::Get().Options(database, nullptr);
  }
  std::string FreshDatabase() {
    std::string name = "open" + std::to_string(++counter_);
    EXPECT_TRUE(server().CreateDatabase(name));
    return name;
  }
  static inline int counter_ = 0;
};

TEST_F(PostgresStoreTest, UrlWithAPasswordIsRefusedBeforeConnecting) {
  PostgresOptions o = Options("postgres");
  o.url = "postgresql://postgres:secret123@127.0.0.1:1/x";
  auto opened = OpenPostgresStore(o);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(opened.error().message.find("password_file"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(opened.error().message.find("secret123"), std::string::npos)
      << "the password appeared in the message: " << opened.error().message;
}

TEST_F(PostgresStoreTest, NotAPostgresUrlIsRefused) {
  PostgresOptions o = Options("postgres");
  o.url = "mysql://db/x";
  auto opened = OpenPostgresStore(o);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kInvalidArgument) << opened.error().message;
}

TEST_F(PostgresStoreTest, WrongPasswordNamesWhatToFixAndNeverThePassword) {
  PostgresOptions o = Options(FreshDatabase());
  o.password = "wrong-password-1234";
  auto opened = OpenPostgresStore(o);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnauthenticated) << opened.error().message;
  EXPECT_NE(opened.error().message.find("password_file"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(opened.error().message.find("wrong-password-1234"), std::string::npos);
  EXPECT_EQ(opened.error().message.find('\n'), std::string::npos) << "not one line";
}

TEST_F(PostgresStoreTest, UnreachableServerIsUnavailableNamingIt) {
  PostgresOptions o = Options("postgres");
  o.url = "postgresql://postgres@127.0.0.1:1/certfleet";
  auto opened = OpenPostgresStore(o);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(opened.error().message.find("127.0.0.1:1/certfleet"), std::string::npos)
      << opened.error().message;
}

TEST_F(PostgresStoreTest, MissingDatabaseSaysToCreateIt) {
  auto opened = OpenPostgresStore(Options("no_such_db"));
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::kNotFound) << opened.error().message;
  EXPECT_NE(opened.error().message.find("CREATE DATABASE"), std::string::npos);
}

TEST_F(PostgresStoreTest, SchemaFromANewerCertfleetIsRefused) {
  const std::string db = FreshDatabase();
  ASSERT_TRUE(OpenPostgresStore(Options(db)));
  ASSERT_TRUE(server().Psql("INSERT INTO schema_version VALUES (999, 'future.sql', 0)", db));
  auto reopened = OpenPostgresStore(Options(db));
  ASSERT_FALSE(reopened) << "a database from a newer certfleet was opened";
  EXPECT_EQ(reopened.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(reopened.error().message.find("newer"), std::string::npos) << reopened.error().message;
}

TEST_F(PostgresStoreTest, HubWithAnotherMasterKeyIsRefused) {
  const std::string db = FreshDatabase();
  PostgresOptions first = Options(db);
  first.master_key_fingerprint = "aaaa1111";
  ASSERT_TRUE(OpenPostgresStore(first));
  ASSERT_TRUE(OpenPostgresStore(first)) << "the same key was refused on a second start";
  PostgresOptions other = first;
  other.master_key_fingerprint = "bbbb2222";
  auto opened = OpenPostgresStore(other);
  ASSERT_FALSE(opened) << "a hub with another master key was let in";
  EXPECT_EQ(opened.error().code, ErrorCode::kConflict);
  EXPECT_NE(opened.error().message.find("master"), std::string::npos) << opened.error().message;
}

TEST_F(PostgresStoreTest, HubsStartingTogetherMigrateOnce) {
  const std::string db = FreshDatabase();
  std::vector<std::thread> hubs;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    hubs.emplace_back([&] {
      if (OpenPostgresStore(Options(db))) ++opened;
    });
  }
  for (auto& t : hubs) t.join();
  EXPECT_EQ(opened.load(), 4);
  auto versions = server().Psql("SELECT COUNT(*) FROM schema_version", db);
  ASSERT_TRUE(versions) << versions.error().message;
  EXPECT_EQ(*versions, std::to_string(PostgresSchemaVersion()) + "\n");
}

TEST_F(PostgresStoreTest, DescriptionNeverShowsAPassword) {
  EXPECT_EQ(DescribePostgresUrl("postgresql://u:pw@db.example:5433/hub?sslmode=verify-full"),
            "postgresql://u@db.example:5433/hub (sslmode=verify-full)");
}

// The watch stream of every hub wakes at commit: a commit through one store reaches the
// commit listener of another store on the same database (another hub) within a second.
TEST_F(PostgresStoreTest, ACommitOnOneHubWakesTheListenerOfAnother) {
  const std::string db = FreshDatabase();
  auto hub_a = OpenPostgresStore(Options(db));
  auto hub_b = OpenPostgresStore(Options(db));
  ASSERT_TRUE(hub_a && hub_b);
  std::mutex mu;
  std::condition_variable cv;
  Revision heard = 0;
  (*hub_b)->SetCommitListener([&](Revision r) {
    std::lock_guard lock(mu);
    heard = std::max(heard, r);
    cv.notify_all();
  });
  // The listener connects in the background; commit until it has heard one (≤ 10 s).
  Revision committed = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::unique_lock lock(mu);
  while (heard == 0 && std::chrono::steady_clock::now() < deadline) {
    lock.unlock();
    auto c =
        (*hub_a)->CreateCustomer(Actor{"test"}, Customer{.name = "c" + std::to_string(committed)});
    ASSERT_TRUE(c) << c.error().message;
    auto max = (*hub_a)->MaxRevision();
    ASSERT_TRUE(max);
    committed = *max;
    lock.lock();
    cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return heard > 0; });
  }
  ASSERT_GT(heard, 0) << "hub B never heard hub A's commits";
  // Now listening: the next commit is heard within a second, with its revision.
  lock.unlock();
  ASSERT_TRUE((*hub_a)->CreateCustomer(Actor{"test"}, Customer{.name = "last"}));
  auto max = (*hub_a)->MaxRevision();
  ASSERT_TRUE(max);
  lock.lock();
  EXPECT_TRUE(cv.wait_for(lock, std::chrono::seconds(1), [&] { return heard >= *max; }))
      << "heard " << heard << ", committed " << *max;
}

}  // namespace
}  // namespace certfleet::store
