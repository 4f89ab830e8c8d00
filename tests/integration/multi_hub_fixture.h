// Several real certfleet-hub processes on one private PostgreSQL (issue 14), all real:
// PostgreSQL (tests/harness/postgres_server), Pebble validating HTTP-01 through nginx, and
// nginx round-robining /.well-known/acme-challenge/ and the API over every hub (a hub that is
// down refuses the connection and nginx asks the next), as a provider runs them; real
// certfleet-agent processes, each watching the hub it is given.
//
// Every hub has its own data dir with the SAME master.key and admin.token (copied from
// hub 0, which created them on the empty database), a short claim lease (10 s) and a 1 s poll
// (issuance_config_), so a dead hub's orders are taken over within seconds.
//
// Assertions read the shared database with psql (orders and certificates per domain),
// which is what "issued exactly once" means, whatever the hubs say.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/nginx_server.h"
#include "harness/pebble_server.h"
#include "harness/postgres_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::multihub {

// Debug + ASan on 2 shared cores: a handful of orders take a few seconds each.
inline constexpr std::chrono::seconds kIssueTimeout{150};

class MultiHubTest : public ::testing::Test {
 protected:
  // Starts PostgreSQL (+ database "certfleet"), nginx and Pebble; no hub yet.
  void SetUp() override;
  // Stops the agents; prints the hubs' and agents' logs when the test failed.
  void TearDown() override;

  // Starts hub `i` (0-based, i < kHubs) with its config; hub 0 first on a fresh database.
  void StartHub(int i);
  // SIGKILLs hub `i` (no shutdown: its leases stay held until they expire).
  void KillHub(int i);
  // Stops hub `i` as an operator would (SIGTERM, waits for its exit).
  void StopHub(int i);
  bool HubRunning(int i) const;

  // A call to hub `i`'s API as the admin.
  harness::HttpResult Api(int i, const std::string& method, const std::string& path,
                          const std::string& body = "");
  // Saves `name` for issuer "pebble" through hub `i`; fails the test unless 201. With a
  // `machine`, the domain belongs to customer "acme" and is deployed there (AddMachine).
  void SaveDomain(int i, const std::string& name, const std::string& machine = "");
  // Waits until every domain in `names` is "valid" as seen by hub `i`; reports the others.
  // One look at hub i: true when every name is valid; `last` keeps each name's last status
  // ("valid", or the status and last error) and skips names already valid.
  bool AllValid(int i, const std::vector<std::string>& names,
                std::map<std::string, std::string>& last);
  bool WaitAllValid(int i, const std::vector<std::string>& names,
                    std::chrono::seconds timeout = kIssueTimeout);

  // SQL count per domain name from the shared database: rows of "orders" or "certificates"
  // (alias t) matching `condition`.
  std::map<std::string, int> CountPerDomain(const std::string& table,
                                            const std::string& condition = "TRUE");
  // Fails the test unless every one of `names` has exactly one completed order and one
  // certificate.
  void ExpectIssuedExactlyOnce(const std::vector<std::string>& names);
  // Fails the test unless every one of `names` has exactly one order at all.
  void ExpectOneOrderEach(const std::vector<std::string>& names);

  std::string BaseUrl(int i) const;
  // nginx's address: the API and the challenge path, round-robin over the hubs.
  std::string BalancedUrl() const;

  // Customer "acme" (once) and machine `machine` through the first running hub; returns a
  // new agent token for it ("" and a test failure if the hub refused).
  std::string AddMachine(const std::string& machine);
  // A real certfleet-agent for `machine` watching hub `hub` (its watch stream; test and
  // reload commands "true", no handshake check). Returns its output dir.
  std::filesystem::path StartAgent(const std::string& machine, const std::string& token, int hub);

  static constexpr int kHubs = 3;
  harness::TempDir dir_{"multi-hub"};
  std::unique_ptr<harness::PostgresServer> pg_;
  std::unique_ptr<harness::NginxServer> nginx_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::vector<std::uint16_t> ports_;
  std::vector<std::unique_ptr<harness::HubProcess>> hubs_;
  std::vector<std::unique_ptr<harness::Subprocess>> agents_;
  std::string admin_token_;
  std::string extra_config_;  // appended to every hub's config (e.g. a [rabbitmq] table)
  // True: hubs started from now on keep their own SQLite store in their data dir (no
  // [store] table), e.g. the hub a migration starts from.
  bool sqlite_store_ = false;
  // The [issuance] table's body, written into every hub's config at its (next) start.
  std::string issuance_config_ = "concurrency = 2\npoll_interval_seconds = 1\nlease_seconds = 10\n";

 private:
  std::filesystem::path WriteConfig(int i);
  std::uint16_t balancer_port_ = 0;
};

// "d<k>.multi.test" for k in [first, first + count).
std::vector<std::string> DomainNames(int first, int count);

}  // namespace certfleet::multihub
