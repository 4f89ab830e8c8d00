// Several certfleet-hub processes on one PostgreSQL (issue 14), real processes only
// (multi_hub_fixture.h): work saved on any hub is issued exactly once, a hub SIGKILLed
// mid-order is taken over by another when its lease expires, and a PostgreSQL restarted
// under running hubs loses nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/http_client.h"
#include "harness/net.h"
#include "multi_hub_fixture.h"

namespace certfleet::multihub {
namespace {

using namespace std::chrono_literals;

// Orders not yet completed, failed or abandoned, as "name owner" lines.
std::vector<std::string> InFlight(harness::PostgresServer& pg) {
  auto out = pg.Psql(
      "SELECT d.name || ' ' || d.lease_owner FROM orders o JOIN domains d ON d.id = o.domain_id "
      "WHERE o.state NOT IN ('completed', 'failed', 'abandoned') ORDER BY d.name",
      "certfleet");
  std::vector<std::string> lines;
  std::istringstream in(out ? *out : "");
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

TEST_F(MultiHubTest, DomainsSavedOnAnyHubAreIssuedExactlyOnce) {
  for (int i = 0; i < kHubs; ++i) ASSERT_NO_FATAL_FAILURE(StartHub(i));
  const auto names = DomainNames(0, 12);
  for (std::size_t k = 0; k < names.size(); ++k) SaveDomain(static_cast<int>(k) % kHubs, names[k]);
  // Each hub sees every domain become valid (one database), whichever hub ordered it and
  // whichever hub nginx asked for the challenge.
  ASSERT_TRUE(WaitAllValid(1, names));
  EXPECT_TRUE(WaitAllValid(2, names, 5s));
  ExpectIssuedExactlyOnce(names);
  ExpectOneOrderEach(names);
}

// The killed hub's database session ends with it, and so does its worker's liveness lock:
// the other hubs take its orders at their next look for work, not when the lease (here two
// minutes, so the old rule could not pass) runs out (docs/design/2026-12-07-worker-liveness.md).
// The other hubs run before the kill, as in a real deployment: nginx sends a challenge
// request that hub 0 can no longer answer to them. (Started after the kill, Pebble could
// validate one of hub 0's challenges while no hub listened: 502, the order failed, and its
// retry a minute later pushed the fresh-clone CI's run to 61 s.)
TEST_F(MultiHubTest, AHubKilledMidOrderIsTakenOverLongBeforeItsLeaseExpires) {
  issuance_config_ = "concurrency = 2\npoll_interval_seconds = 1\nlease_seconds = 120\n";
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  const auto names = DomainNames(0, 30);
  // Hub 0's worker id: the owner of its orders while it is the only hub (four, so that one
  // is in flight long enough for a psql poll to see it).
  constexpr std::size_t kFirst = 4;
  for (std::size_t k = 0; k < kFirst; ++k) SaveDomain(0, names[k]);
  std::string owner0;
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        const auto lines = InFlight(*pg_);
        if (!lines.empty()) owner0 = lines.front().substr(lines.front().find(' ') + 1);
        return !owner0.empty();
      },
      60s, 2ms))
      << "hub 0 never started an order";
  ASSERT_NO_FATAL_FAILURE(StartHub(1));
  ASSERT_NO_FATAL_FAILURE(StartHub(2));
  // Saved on hub 0, which is woken by its own saves: it holds orders at once.
  for (std::size_t k = kFirst; k < names.size(); ++k) SaveDomain(0, names[k]);
  std::vector<std::string> orphaned;
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        orphaned.clear();
        for (const auto& line : InFlight(*pg_)) {
          if (line.ends_with(" " + owner0)) orphaned.push_back(line);
        }
        return !orphaned.empty();
      },
      60s, 2ms))
      << "hub 0 (" << owner0 << ") held no order after the saves";
  ASSERT_NO_FATAL_FAILURE(KillHub(0));
  std::cout << "in flight on hub 0 when it died: " << orphaned.size() << "\n";

  const auto killed_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitAllValid(2, names));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - killed_at);
  std::cout << "all valid " << took.count() << " ms after the kill (lease 120 s)\n";
  EXPECT_LT(took, 60s) << "the orders waited for the dead hub's lease";
  // One order per domain: the saved orders were resumed, not ordered again.
  ExpectIssuedExactlyOnce(names);
  EXPECT_TRUE(InFlight(*pg_).empty());
}

TEST_F(MultiHubTest, PostgresRestartedUnderRunningHubsLosesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartHub(0));
  ASSERT_NO_FATAL_FAILURE(StartHub(1));
  const auto first = DomainNames(0, 6);
  for (std::size_t k = 0; k < first.size(); ++k) SaveDomain(static_cast<int>(k % 2), first[k]);
  // Stop the database while orders are in flight if we can catch one: each poll is a psql
  // process (tens of ms under load) and six orders against Pebble can all finish between two
  // polls — the first try of the fresh-clone CI waited 60 s for an order that had completed.
  // Either way the hubs are running when the database goes, and nothing may be lost.
  bool caught = false;
  std::map<std::string, std::string> statuses;
  ASSERT_TRUE(harness::WaitFor(
      [&] { return (caught = !InFlight(*pg_).empty()) || AllValid(0, first, statuses); }, 60s, 5ms))
      << "hub 0 neither started an order nor finished them";
  std::cout << (caught ? "orders in flight" : "all orders already finished")
            << " when the database stopped\n";
  pg_->Stop();
  // While the database is down: the API says so with 503 naming it, /healthz says
  // "degraded" (the process is fine: no liveness probe may restart it), and the hubs'
  // workers keep failing calls without giving their work up.
  auto down = Api(0, "GET", "/api/v1/domains?limit=1");
  EXPECT_EQ(down.status, 503) << down.body << down.error;
  EXPECT_NE(down.body.find("postgresql://postgres@127.0.0.1:"), std::string::npos)
      << "the 503 must name the database: " << down.body;
  auto health = harness::HttpGet(BaseUrl(1) + "/healthz");
  EXPECT_EQ(health.status, 200) << health.body;
  auto view = nlohmann::json::parse(health.body, nullptr, false);
  ASSERT_TRUE(view.is_object()) << health.body;
  EXPECT_EQ(view.value("status", ""), "degraded") << health.body;
  EXPECT_FALSE(view["components"]["store"].value("healthy", true)) << health.body;
  std::this_thread::sleep_for(2s);
  ASSERT_TRUE(pg_->Restart());

  // Saves after the restart work on both hubs, and everything ends issued exactly once.
  const auto second = DomainNames(6, 4);
  ASSERT_TRUE(harness::WaitFor(
      [&] { return Api(0, "GET", "/api/v1/domains?limit=1").status == 200; }, 30s, 100ms))
      << "hub 0 did not recover from the database restart";
  for (std::size_t k = 0; k < second.size(); ++k) SaveDomain(static_cast<int>(k % 2), second[k]);
  auto all = first;
  all.insert(all.end(), second.begin(), second.end());
  ASSERT_TRUE(WaitAllValid(1, all));
  ExpectIssuedExactlyOnce(all);
}

}  // namespace
}  // namespace certfleet::multihub
