// StoreContractTest: the fixture every Store contract test runs on, parameterized by a
// factory per backend (SQLite, the memory fake; PostgreSQL where a server can be
// started). Each test gets an empty store in its own directory and a FakeClock; opening
// the same directory again (Reopen, a second store) reaches the same data, like a hub
// restart or a second hub on one database.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "harness/postgres_server.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/testing/memory_store.h"

namespace certfleet::store::contract {

// Designated initializers deliberately leave the other members at their defaults;
// g++ 12 warns about that under -Wextra.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

using namespace std::chrono_literals;

struct StoreFactory {
  std::string name;
  // Opens the store kept in `dir` (creating it on first use).
  std::function<Result<std::unique_ptr<Store>>(const std::string& dir, Clock* clock)> open;
  // Forgets the data kept for `dir` (after the test); may be empty.
  std::function<void(const std::string& dir)> drop;
};

class StoreContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("certfleet_store_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    if (GetParam().drop) GetParam().drop(dir_.string());
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto opened = GetParam().open(dir_.string(), &clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }

  Customer AddCustomer(const std::string& name) {
    auto c = store_->CreateCustomer(actor_, Customer{.name = name});
    EXPECT_TRUE(c) << c.error().message;
    return c.value_or(Customer{});
  }
  Machine AddMachine(const std::string& name) {
    auto m = store_->CreateMachine(actor_, Machine{.name = name, .address = "10.0.0.1"});
    EXPECT_TRUE(m) << m.error().message;
    return m.value_or(Machine{});
  }
  Domain AddDomain(const std::string& name, std::vector<Id> machines = {},
                   std::optional<TimePoint> next_attempt = std::nullopt) {
    Domain d;
    d.name = name;
    d.issuer = "letsencrypt";
    d.key_type = "ec256";
    d.machine_ids = std::move(machines);
    d.next_attempt_at = next_attempt;
    auto created = store_->CreateDomain(actor_, d);
    EXPECT_TRUE(created) << created.error().message;
    return created.value_or(Domain{});
  }
  CertificateVersion AddCert(Id domain_id, const std::string& sha) {
    CertificateVersion c;
    c.domain_id = domain_id;
    c.chain_pem = "-----BEGIN CERTIFICATE-----\n...";
    c.encrypted_key = std::string("cfv1\0\x01sealed", 12);
    c.serial = "0a0b";
    c.sha256 = sha;
    c.not_before = clock_.Now();
    c.not_after = clock_.Now() + 90 * 24h;
    auto stored = store_->AddCertificate(actor_, c);
    EXPECT_TRUE(stored) << stored.error().message;
    return stored.value_or(CertificateVersion{});
  }
  std::vector<Event> AllEvents() {
    auto events = store_->ListEventsSince(0, 100000);
    EXPECT_TRUE(events) << events.error().message;
    return events.value_or(std::vector<Event>{});
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  Actor actor_{"test"};
  std::unique_ptr<Store> store_;
};

inline StoreFactory SqliteFactory() {
  return {"sqlite", [](const std::string& dir, Clock* clock) {
            return OpenSqliteStore(SqliteOptions{.path = dir + "/hub.db", .clock = clock});
          }};
}

// The memory fake: one MemoryDatabase per directory, kept until the test drops it.
inline StoreFactory MemoryFactory() {
  struct Registry {
    std::mutex mu;
    std::map<std::string, std::shared_ptr<testing::MemoryDatabase>> databases;
  };
  static auto* registry = new Registry;
  return {"memory",
          [](const std::string& dir, Clock* clock) -> Result<std::unique_ptr<Store>> {
            std::lock_guard lock(registry->mu);
            auto& db = registry->databases[dir];
            if (!db) db = testing::NewMemoryDatabase();
            return testing::OpenMemoryStore(db, clock);
          },
          [](const std::string& dir) {
            std::lock_guard lock(registry->mu);
            registry->databases.erase(dir);
          }};
}

// The test process's private PostgreSQL (started on first use, stopped at exit) with a
// migrated template database; each directory gets a database cloned from it. Databases
// are created and dropped over one admin connection (no psql process per test).
struct PostgresForTests {
  std::unique_ptr<harness::PostgresServer> server;
  std::unique_ptr<postgres::PgConnection> admin;  // on database "postgres"
  std::map<std::string, std::string> databases;   // dir → database name
  int next = 0;
  std::mutex mu;

  static PostgresForTests& Get() {
    static PostgresForTests instance;  // destroyed at exit: stops the server by PID
    return instance;
  }
  ~PostgresForTests() { admin.reset(); }
  // Options for a store on `database` (the url names it; the password is the server's).
  PostgresOptions Options(const std::string& database, Clock* clock) const {
    PostgresOptions o;
    o.url = server->Url(database);
    o.password = server->password();
    o.connections = 4;
    o.clock = clock;
    return o;
  }
  Status Start() {
    if (server) return Ok();
    auto started = harness::PostgresServer::Start();
    if (!started) return Fail(started.error());
    server = std::move(*started);
    auto conn = postgres::PgConnection::Open(
        {{"dbname", server->Url("postgres")}, {"password", server->password()}});
    if (!conn) return Fail(conn.error());
    admin = std::move(*conn);
    if (auto s = admin->Exec("CREATE DATABASE certfleet_template", "creating the template"); !s) {
      return s;
    }
    auto migrated = OpenPostgresStore(Options("certfleet_template", nullptr));
    if (!migrated) return Fail(migrated.error());
    return Ok();
  }
  Result<std::string> DatabaseFor(const std::string& dir) {
    std::lock_guard lock(mu);
    if (auto s = Start(); !s) return Fail(s.error());
    auto it = databases.find(dir);
    if (it != databases.end()) return it->second;
    std::string name = "t" + std::to_string(++next);
    if (auto s = admin->Exec(
            "CREATE DATABASE " + name + " TEMPLATE certfleet_template STRATEGY FILE_COPY",
            "creating a test database");
        !s) {
      return Fail(s.error());
    }
    databases[dir] = name;
    return name;
  }
  void Drop(const std::string& dir) {
    std::lock_guard lock(mu);
    auto it = databases.find(dir);
    if (it == databases.end()) return;
    (void)admin->Exec("DROP DATABASE IF EXISTS " + it->second + " WITH (FORCE)",
                      "dropping a test database");
    databases.erase(it);
  }
};

// PostgreSQL: one database per directory on the process's private server.
inline StoreFactory PostgresFactory() {
  return {"postgres",
          [](const std::string& dir, Clock* clock) -> Result<std::unique_ptr<Store>> {
            auto& pg = PostgresForTests::Get();
            auto database = pg.DatabaseFor(dir);
            if (!database) return Fail(database.error());
            return OpenPostgresStore(pg.Options(*database, clock));
          },
          [](const std::string& dir) { PostgresForTests::Get().Drop(dir); }};
}

// Every backend the contract tests run against.
inline std::vector<StoreFactory> AllFactories() {
  return {SqliteFactory(), MemoryFactory(), PostgresFactory()};
}

// Names each instantiation after its factory ("Backends/StoreContractTest.X/sqlite").
inline std::string FactoryName(const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

#pragma GCC diagnostic pop

}  // namespace certfleet::store::contract
