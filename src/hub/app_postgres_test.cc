// Several hubs on one PostgreSQL (issue 14): two App instances, each with its own data
// dir, share one database. They must hold the same master key (another one is refused at
// start, naming the fix); then either hub serves what the other wrote, and GET /metrics
// reads the shared database.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/atomic_file.h"
#include "harness/http_client.h"
#include "harness/postgres_server.h"
#include "harness/temp_dir.h"
#include "hub/app.h"
#include "hub/migrate_command.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/postgres_store.h"

namespace certfleet::hub {
namespace {

class AppOnPostgres : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pg = harness::PostgresServer::Start();
    ASSERT_TRUE(pg) << pg.error().message;
    pg_ = std::move(*pg);
    ASSERT_TRUE(pg_->CreateDatabase("hubs"));
  }
  HubConfig ConfigFor(const std::string& name) {
    HubConfig config;
    config.data_dir = dir_.path() / name;
    config.listen = "127.0.0.1:0";
    config.metrics_public = true;
    config.store.backend = "postgres";
    config.store.url = pg_->Url("hubs");
    config.store.password = pg_->password();
    config.store.connections = 4;
    return config;
  }
  std::string AdminToken(const std::string& hub) {
    auto token = ReadFile(dir_.path() / hub / "admin.token");
    EXPECT_TRUE(token) << token.error().message;
    std::string t = token ? *token : "";
    return t.substr(0, t.find('\n'));
  }
  harness::HttpResult Get(App& app, const std::string& path, const std::string& token) {
    harness::HttpRequest request;
    request.headers = {"Authorization: Bearer " + token};
    return harness::HttpFetch(app.BaseUrl() + path, request);
  }

  harness::TempDir dir_{"hub-pg"};
  std::unique_ptr<harness::PostgresServer> pg_;
};

TEST_F(AppOnPostgres, SecondHubNeedsTheSameMasterKeyThenServesTheFirstHubsData) {
  auto a = App::Start(ConfigFor("a"), SystemClock::Instance());
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE((*a)->created_admin_token());
  const std::string token = AdminToken("a");

  auto refused = App::Start(ConfigFor("b"), SystemClock::Instance());
  ASSERT_FALSE(refused) << "a hub with another master key was let onto the database";
  EXPECT_NE(refused.error().message.find("master.key"), std::string::npos)
      << refused.error().message;

  std::filesystem::copy_file(dir_.path() / "a" / "master.key", dir_.path() / "b" / "master.key",
                             std::filesystem::copy_options::overwrite_existing);
  auto b = App::Start(ConfigFor("b"), SystemClock::Instance());
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_FALSE((*b)->created_admin_token()) << "the database has tokens: no second bootstrap";

  // A customer made through hub A is read through hub B with A's token.
  harness::HttpRequest create;
  create.method = "POST";
  create.headers = {"Authorization: Bearer " + token, "Content-Type: application/json"};
  create.body = R"({"name":"acme-corp"})";
  auto created = harness::HttpFetch((*a)->BaseUrl() + "/api/v1/customers", create);
  ASSERT_EQ(created.status, 201) << created.body;
  auto listed = Get(**b, "/api/v1/customers", token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("acme-corp"), std::string::npos) << listed.body;

  auto metrics = harness::HttpGet((*b)->BaseUrl() + "/metrics");
  EXPECT_EQ(metrics.status, 200) << metrics.body;
}

// The database as the previous certfleet left it: only migration 0001 applied.
void LeaveAtVersionOne(harness::PostgresServer& pg, const std::string& db) {
  const auto& first = store::postgres::EmbeddedMigrations().front();
  ASSERT_TRUE(pg.Psql(std::string(first.sql), db));
  ASSERT_TRUE(
      pg.Psql("CREATE TABLE schema_version (version BIGINT PRIMARY KEY, file TEXT NOT "
              "NULL, applied_at BIGINT NOT NULL); INSERT INTO schema_version VALUES (1, '" +
                  std::string(first.file) + "', 0)",
              db));
}

TEST_F(AppOnPostgres, AnOlderSchemaIsRefusedNamingMigrateWhichUpgradesItOnce) {
  ASSERT_GE(store::PostgresSchemaVersion(), 2) << "needs a second migration";
  ASSERT_TRUE(pg_->CreateDatabase("old"));
  LeaveAtVersionOne(*pg_, "old");
  HubConfig config = ConfigFor("a");
  config.store.url = pg_->Url("old");
  auto refused = App::Start(config, SystemClock::Instance());
  ASSERT_FALSE(refused) << "a hub changed the schema of a database in use";
  EXPECT_NE(refused.error().message.find("schema is at version 1"), std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("certfleet-hub migrate"), std::string::npos)
      << refused.error().message;

  auto migrated = MigrateStore(config);
  ASSERT_TRUE(migrated) << migrated.error().message;
  EXPECT_NE(migrated->find("schema version 1 → " + std::to_string(store::PostgresSchemaVersion())),
            std::string::npos)
      << *migrated;
  auto again = MigrateStore(config);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(again->find("already at version"), std::string::npos) << *again;
  auto started = App::Start(config, SystemClock::Instance());
  EXPECT_TRUE(started) << started.error().message;
}

TEST_F(AppOnPostgres, ANewerSchemaIsRefusedByTheHubAndByMigrate) {
  ASSERT_TRUE(pg_->CreateDatabase("newer"));
  HubConfig config = ConfigFor("a");
  config.store.url = pg_->Url("newer");
  ASSERT_TRUE(MigrateStore(config));
  ASSERT_TRUE(pg_->Psql("INSERT INTO schema_version VALUES (999, '0999_future.sql', 0)", "newer"));
  auto refused = App::Start(config, SystemClock::Instance());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("newer certfleet"), std::string::npos)
      << refused.error().message;
  auto migrate = MigrateStore(config);
  ASSERT_FALSE(migrate) << "migrate must not touch a newer schema";
  EXPECT_NE(migrate.error().message.find("newer certfleet"), std::string::npos)
      << migrate.error().message;
}

TEST_F(AppOnPostgres, WrongDatabasePasswordStopsTheStartWithOneLine) {
  HubConfig config = ConfigFor("a");
  config.store.password = "not-the-password-42";
  auto app = App::Start(config, SystemClock::Instance());
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().message.find('\n'), std::string::npos) << app.error().message;
  EXPECT_EQ(app.error().message.find("not-the-password-42"), std::string::npos);
  EXPECT_NE(app.error().message.find("password"), std::string::npos) << app.error().message;
}

}  // namespace
}  // namespace certfleet::hub
