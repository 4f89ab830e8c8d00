// `certfleet-hub migrate --from sqlite:…` (issue 14): a SQLite hub with data, copied into an
// empty private PostgreSQL, is served by a hub on PostgreSQL — the same domains, the same
// certificates with their sealed keys (an agent downloads the key), the same tokens, new
// rows get new ids — and a second copy into the now filled database is refused unless told
// to overwrite, which in turn is refused while a hub is connected.
#include "hub/migrate_from_sqlite.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "crypto/testing/test_ca.h"
#include "harness/http_client.h"
#include "harness/postgres_server.h"
#include "harness/temp_dir.h"
#include "hub/app.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class MigrateFromSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pg = harness::PostgresServer::Start();
    ASSERT_TRUE(pg) << pg.error().message;
    pg_ = std::move(*pg);
    ASSERT_TRUE(pg_->CreateDatabase("hubs"));
  }
  HubConfig SqliteConfig() {
    HubConfig config;
    config.data_dir = dir_.path() / "sqlite";
    config.listen = "127.0.0.1:0";
    return config;
  }
  HubConfig PostgresConfig() {
    HubConfig config = SqliteConfig();
    config.data_dir = dir_.path() / "pg";
    config.store.backend = "postgres";
    config.store.url = pg_->Url("hubs");
    config.store.password = pg_->password();
    config.store.connections = 4;
    return config;
  }
  harness::HttpResult Call(App& app, const std::string& token, const std::string& method,
                           const std::string& path, const std::string& body = "") {
    return harness::HttpFetch(
        app.BaseUrl() + path,
        {.method = method,
         .body = body,
         .headers = {"Authorization: Bearer " + token, "Content-Type: application/json"}});
  }
  static json Body(const harness::HttpResult& r) {
    auto v = json::parse(r.body, nullptr, false);
    return v.is_discarded() ? json() : v;
  }
  std::int64_t Count(const std::string& table) {
    auto out = pg_->Psql("SELECT COUNT(*) FROM " + table, "hubs");
    EXPECT_TRUE(out) << out.error().message;
    return out ? std::stoll(*out) : -1;
  }

  // A SQLite hub with a customer, two machines, a domain with an uploaded certificate, an
  // agent token that reported a deployment, and an ACME account; returns the admin token.
  void FillSqliteHub() {
    auto app = App::Start(SqliteConfig(), SystemClock::Instance());
    ASSERT_TRUE(app) << app.error().message;
    auto token = ReadFile(dir_.path() / "sqlite" / "admin.token");
    ASSERT_TRUE(token);
    admin_ = token->substr(0, token->find('\n'));
    App& hub = **app;
    ASSERT_EQ(Call(hub, admin_, "POST", "/api/v1/customers", R"({"name":"acme"})").status, 201);
    for (const char* m : {"web-1", "web-2"}) {
      ASSERT_EQ(Call(hub, admin_, "POST", "/api/v1/machines", json{{"name", m}}.dump()).status,
                201);
    }
    auto domain = Call(hub, admin_, "POST", "/api/v1/domains",
                       json{{"name", "shop.example.com"},
                            {"issuer", "manual"},
                            {"customer", "acme"},
                            {"machines", {"web-1"}}}
                           .dump());
    ASSERT_EQ(domain.status, 201) << domain.body;
    auto ca = crypto::testing::TestCa::Create().value();
    leaf_ = ca.Issue({.dns_names = {"shop.example.com"}}).value();
    auto uploaded = Call(hub, admin_, "POST", "/api/v1/domains/shop.example.com/certificate",
                         json{{"chain_pem", leaf_->chain_pem}, {"key_pem", leaf_->key_pem}}.dump());
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
    certificate_id_ = Body(uploaded)["id"].get<std::int64_t>();
    auto agent =
        Call(hub, admin_, "POST", "/api/v1/tokens",
             json{{"name", "agent web-1"}, {"role", "agent"}, {"machine", "web-1"}}.dump());
    ASSERT_EQ(agent.status, 201) << agent.body;
    agent_ = Body(agent)["secret"].get<std::string>();
    auto report = Call(hub, agent_, "POST", "/api/v1/agent/deployments",
                       json{{"certificate_id", certificate_id_}, {"status", "deployed"}}.dump());
    ASSERT_LT(report.status, 300) << report.body;
    app->reset();  // the SQLite hub stops
    auto store = store::OpenSqliteStore({.path = (dir_.path() / "sqlite" / "hub.db").string()});
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->AddAcmeAccount(
        {"https://ca.example/dir", "le", "sealed-bytes", "https://ca.example/acct/9", {}, {}}));
  }

  harness::TempDir dir_{"migrate-from"};
  std::unique_ptr<harness::PostgresServer> pg_;
  std::string admin_, agent_;
  std::optional<crypto::testing::IssuedLeaf> leaf_;
  std::int64_t certificate_id_ = 0;
};

TEST_F(MigrateFromSqliteTest, APopulatedSqliteHubIsServedFromPostgresAfterTheCopy) {
  FillSqliteHub();
  const std::string from = "sqlite:" + (dir_.path() / "sqlite").string();
  auto copied = MigrateFromSqlite(PostgresConfig(), from);
  ASSERT_TRUE(copied) << copied.error().message;
  EXPECT_NE(copied->find("domains 1"), std::string::npos) << *copied;
  EXPECT_NE(copied->find("master.key"), std::string::npos) << *copied;
  EXPECT_EQ(Count("acme_accounts"), 1);
  EXPECT_EQ(Count("deployments"), 1);
  EXPECT_GT(Count("events"), 5);
  EXPECT_GT(Count("audit"), 5);

  // The hub on PostgreSQL holds the SQLite hub's master key.
  fs::create_directories(dir_.path() / "pg");
  fs::copy_file(dir_.path() / "sqlite" / "master.key", dir_.path() / "pg" / "master.key");
  auto app = App::Start(PostgresConfig(), SystemClock::Instance());
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_FALSE((*app)->created_admin_token()) << "the copied tokens were not seen";
  App& hub = **app;
  auto domains = Call(hub, admin_, "GET", "/api/v1/domains");
  ASSERT_EQ(domains.status, 200) << domains.body;
  ASSERT_EQ(Body(domains)["items"].size(), 1u) << domains.body;
  EXPECT_EQ(Body(domains)["items"][0]["name"], "shop.example.com");
  EXPECT_EQ(Body(domains)["items"][0]["customer"], "acme");
  // The agent's token works, its machine's desired state names the certificate, and the
  // sealed key opens: the copy kept the bytes and the binding.
  auto desired = Call(hub, agent_, "GET", "/api/v1/agent/desired");
  ASSERT_EQ(desired.status, 200) << desired.body;
  ASSERT_EQ(Body(desired)["certificates"].size(), 1u) << desired.body;
  EXPECT_EQ(Body(desired)["certificates"][0]["certificate_id"], certificate_id_);
  auto cert =
      Call(hub, agent_, "GET", "/api/v1/agent/certificates/" + std::to_string(certificate_id_));
  ASSERT_EQ(cert.status, 200) << cert.body;
  EXPECT_EQ(Body(cert)["key_pem"], leaf_->key_pem);
  EXPECT_EQ(Body(cert)["chain_pem"], leaf_->chain_pem);
  // New rows continue after the copied ids (the identity sequences were moved on).
  auto machine = Call(hub, admin_, "POST", "/api/v1/machines", R"({"name":"web-3"})");
  ASSERT_EQ(machine.status, 201) << machine.body;
  EXPECT_EQ(Body(machine)["id"], 3);
  EXPECT_EQ(Call(hub, admin_, "POST", "/api/v1/customers", R"({"name":"beta"})").status, 201);
  app->reset();

  // A second copy would overwrite: refused, naming what is there.
  auto again = MigrateFromSqlite(PostgresConfig(), from);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_NE(again.error().message.find("already holds data"), std::string::npos)
      << again.error().message;
  EXPECT_NE(again.error().message.find("customers (2)"), std::string::npos)
      << again.error().message;
  EXPECT_EQ(Count("customers"), 2) << "the refused copy changed the database";
}

TEST_F(MigrateFromSqliteTest, ASecondCopyOverwritesOnlyWhenToldAndNoHubIsConnected) {
  FillSqliteHub();
  const std::string from = "sqlite:" + (dir_.path() / "sqlite").string();
  ASSERT_TRUE(MigrateFromSqlite(PostgresConfig(), from));
  fs::create_directories(dir_.path() / "pg");
  fs::copy_file(dir_.path() / "sqlite" / "master.key", dir_.path() / "pg" / "master.key");
  {
    // Rows written on PostgreSQL after the first copy — what an overwrite throws away.
    auto app = App::Start(PostgresConfig(), SystemClock::Instance());
    ASSERT_TRUE(app) << app.error().message;
    ASSERT_EQ(Call(**app, admin_, "POST", "/api/v1/customers", R"({"name":"beta"})").status, 201);
    // A hub is connected: overwriting under it is refused, and nothing changes.
    auto busy = MigrateFromSqlite(PostgresConfig(), from, /*overwrite=*/true);
    ASSERT_FALSE(busy);
    EXPECT_EQ(busy.error().code, ErrorCode::kConflict) << busy.error().message;
    EXPECT_NE(busy.error().message.find("stop every hub"), std::string::npos)
        << busy.error().message;
    EXPECT_EQ(Count("customers"), 2) << "the refused overwrite changed the database";
  }
  auto refused = MigrateFromSqlite(PostgresConfig(), from);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("--overwrite"), std::string::npos)
      << "the refusal names the way out: " << refused.error().message;

  auto replaced = MigrateFromSqlite(PostgresConfig(), from, /*overwrite=*/true);
  ASSERT_TRUE(replaced) << replaced.error().message;
  EXPECT_NE(replaced->find("previous data replaced"), std::string::npos) << *replaced;
  EXPECT_EQ(Count("customers"), 1) << "the overwrite kept rows that are not in SQLite";
  EXPECT_EQ(Count("domains"), 1);
  EXPECT_EQ(Count("certificates"), 1);
  // The replaced database serves as the first copy did: same ids, keys still open.
  auto app = App::Start(PostgresConfig(), SystemClock::Instance());
  ASSERT_TRUE(app) << app.error().message;
  auto cert =
      Call(**app, agent_, "GET", "/api/v1/agent/certificates/" + std::to_string(certificate_id_));
  ASSERT_EQ(cert.status, 200) << cert.body;
  EXPECT_EQ(Body(cert)["key_pem"], leaf_->key_pem);
  auto beta = Call(**app, admin_, "POST", "/api/v1/customers", R"({"name":"beta"})");
  ASSERT_EQ(beta.status, 201) << beta.body;
  EXPECT_EQ(Body(beta)["id"], 2) << "identities continue after the copied rows";
}

TEST_F(MigrateFromSqliteTest, BadSourcesAndTargetsAreRefusedWithTheFix) {
  FillSqliteHub();
  const std::string from = "sqlite:" + (dir_.path() / "sqlite").string();
  auto not_sqlite = MigrateFromSqlite(PostgresConfig(), dir_.path().string());
  ASSERT_FALSE(not_sqlite);
  EXPECT_NE(not_sqlite.error().message.find("sqlite:"), std::string::npos);
  auto missing = MigrateFromSqlite(PostgresConfig(), "sqlite:" + (dir_.path() / "none").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound) << missing.error().message;
  auto into_sqlite = MigrateFromSqlite(SqliteConfig(), from);
  ASSERT_FALSE(into_sqlite);
  EXPECT_NE(into_sqlite.error().message.find("backend = \"postgres\""), std::string::npos)
      << into_sqlite.error().message;

  // This hub's own, different master key: the copied keys would not open.
  fs::create_directories(dir_.path() / "pg");
  WriteFileAtomically(dir_.path() / "pg" / "master.key", std::string(32, 'x'), 0600);
  auto other_key = MigrateFromSqlite(PostgresConfig(), from);
  ASSERT_FALSE(other_key);
  EXPECT_EQ(other_key.error().code, ErrorCode::kConflict) << other_key.error().message;
  EXPECT_NE(other_key.error().message.find("master key"), std::string::npos)
      << other_key.error().message;
  fs::remove(dir_.path() / "pg" / "master.key");

  // A running SQLite hub.
  {
    auto running = App::Start(SqliteConfig(), SystemClock::Instance());
    ASSERT_TRUE(running) << running.error().message;
    auto refused = MigrateFromSqlite(PostgresConfig(), from);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("stop it first"), std::string::npos)
        << refused.error().message;
  }
  auto tables = pg_->Psql(
      "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = "
      "'customers'",
      "hubs");
  ASSERT_TRUE(tables);
  EXPECT_EQ(std::stoll(*tables), 0) << "a refused copy touched the database";
  EXPECT_TRUE(MigrateFromSqlite(PostgresConfig(), from)) << "the stopped hub copies";
}

}  // namespace
}  // namespace certfleet::hub
