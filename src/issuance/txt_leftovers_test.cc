// The RFC 2136 records of DNS-01 are never left in the provider's zone (issue 15), with a
// real BIND (updated with TSIG) and the SQLite store: each record is remembered before it
// is added (JournaledTxtSolver), and what a killed hub left behind is removed by the
// domain's next job (RemoveDomainLeftovers) or, once expired, by housekeeping
// (Housekeeping). The hub killed mid-order is tests/integration/hub_dns01_resume_test.cc.
#include "issuance/txt_leftovers.h"

#include <gtest/gtest.h>

#include "acme/challenge.h"
#include "harness/named_server.h"
#include "harness/temp_dir.h"
#include "issuance/dns01_runtime.h"
#include "issuance/housekeeping.h"
#include "issuance/journaled_txt_solver.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::issuance {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRecord = "_acme-challenge.shop.example.test";

class TxtLeftoversTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = harness::NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
    auto store = store::OpenSqliteStore({.path = (dir_.path() / "hub.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
    runtime_ = Runtime({"example.test"});
  }

  // A runtime whose [dns01] has RFC 2136 `zones`, all on the test's BIND.
  std::unique_ptr<Dns01Runtime> Runtime(const std::vector<std::string>& zones) {
    const dns::ServerAddress server = *dns::ParseServerAddress(named_->Address());
    solver::Dns01Config config;
    config.resolver = server;
    for (const std::string& zone : zones) {
      solver::Dns01ZoneConfig entry{.zone = zone, .kind = solver::Dns01SolverKind::kRfc2136};
      entry.rfc2136 = {.zone = zone,
                       .server = server,
                       .key = {named_->key_name(), "hmac-sha256", named_->key_secret()},
                       .check_servers = {server},
                       .propagation_timeout = 10s};
      config.zones.push_back(entry);
    }
    auto runtime = Dns01Runtime::Create(std::move(config), nullptr, {}, clock_);
    EXPECT_TRUE(runtime) << runtime.error().message;
    return runtime ? std::move(*runtime) : nullptr;
  }

  static acme::ChallengeTask Task(const std::string& token) {
    return {"shop.example.test", "dns-01", token, token + ".thumbprint", "", false};
  }
  static std::string Value(const std::string& token) {
    return acme::Dns01TxtValue(token + ".thumbprint");
  }

  // What BIND serves at the challenge name, sorted; quotes removed.
  std::vector<std::string> Served() {
    auto lines = named_->Dig(kRecord, "TXT");
    EXPECT_TRUE(lines) << lines.error().message;
    std::vector<std::string> out;
    for (std::string line : lines.value_or(std::vector<std::string>{})) {
      std::erase(line, '"');
      out.push_back(line);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> Listed(store::Id domain_id) {
    auto listed = store_->ListPlacedTxtOfDomain(domain_id);
    EXPECT_TRUE(listed) << listed.error().message;
    std::vector<std::string> out;
    for (const store::PlacedTxt& r : listed.value_or(std::vector<store::PlacedTxt>{}))
      out.push_back(r.value);
    return out;
  }

  // A hub that presented `token` for domain `domain_id` and was killed before CleanUp.
  void PresentedAndKilled(store::Id domain_id, const std::string& token) {
    JournaledTxtSolver solver(*runtime_->Rfc2136Zone("example.test"), *store_, clock_, domain_id);
    auto presented = solver.Present(Task(token));
    ASSERT_TRUE(presented) << presented.error().message;
  }

  harness::TempDir dir_{"txt-leftovers"};
  FakeClock clock_;
  std::unique_ptr<harness::NamedServer> named_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Dns01Runtime> runtime_;
};

TEST_F(TxtLeftoversTest, ARecordIsRememberedWhileInTheZoneAndForgottenWhenDeleted) {
  JournaledTxtSolver solver(*runtime_->Rfc2136Zone("example.test"), *store_, clock_, 7);
  ASSERT_TRUE(solver.Present(Task("tok")));
  EXPECT_EQ(Served(), std::vector<std::string>{Value("tok")});
  EXPECT_EQ(Listed(7), std::vector<std::string>{Value("tok")});
  auto listed = store_->ListPlacedTxtOfDomain(7);
  ASSERT_TRUE(listed && listed->size() == 1);
  EXPECT_EQ((*listed)[0].zone, "example.test");
  EXPECT_EQ((*listed)[0].name, kRecord);
  EXPECT_EQ((*listed)[0].expires_at, clock_.Now() + kPlacedTxtLifetime);
  ASSERT_TRUE(solver.CleanUp(Task("tok")));
  EXPECT_TRUE(Served().empty());
  EXPECT_TRUE(Listed(7).empty()) << "a deleted record was still listed";
}

TEST_F(TxtLeftoversTest, ADomainsNextJobRemovesWhatAKilledHubLeftAndOnlyItsOwn) {
  PresentedAndKilled(7, "apex");
  PresentedAndKilled(7, "wildcard");
  PresentedAndKilled(8, "other");
  ASSERT_EQ(Served().size(), 3u);
  RemoveDomainLeftovers(*store_, runtime_.get(), 7, "shop.example.test");
  EXPECT_EQ(Served(), std::vector<std::string>{Value("other")})
      << "domain 7's records must go, domain 8's (maybe in use by its order) stay";
  EXPECT_TRUE(Listed(7).empty());
  EXPECT_EQ(Listed(8), std::vector<std::string>{Value("other")});
}

TEST_F(TxtLeftoversTest, HousekeepingRemovesExpiredRecordsAtOnceThenEveryMinute) {
  PresentedAndKilled(7, "old");
  clock_.Advance(30s);
  PresentedAndKilled(8, "young");  // expires 30 s after the old one
  clock_.Advance(kPlacedTxtLifetime - 30s);
  Housekeeping sweeper(*store_, runtime_.get(), clock_);
  sweeper.MaybeRun();  // the first call: a restarted hub cleans up first
  EXPECT_EQ(Served(), std::vector<std::string>{Value("young")})
      << "the expired record must go, the one an order may still use must stay";
  EXPECT_TRUE(Listed(7).empty());
  clock_.Advance(30s);
  sweeper.MaybeRun();  // the young one expired now, but the last sweep was 30 s ago
  EXPECT_EQ(Served(), std::vector<std::string>{Value("young")});
  clock_.Advance(30s);
  sweeper.MaybeRun();
  EXPECT_TRUE(Served().empty());
  EXPECT_TRUE(Listed(8).empty());
}

TEST_F(TxtLeftoversTest, ARecordWhoseDeleteFailsStaysListedForTheNextTry) {
  PresentedAndKilled(7, "tok");
  named_->Stop();
  RemoveDomainLeftovers(*store_, runtime_.get(), 7, "shop.example.test");
  EXPECT_EQ(Listed(7), std::vector<std::string>{Value("tok")})
      << "a record was forgotten although the server never deleted it";
}

TEST_F(TxtLeftoversTest, ARecordOfAZoneNoLongerConfiguredIsForgottenAndLeftAlone) {
  PresentedAndKilled(7, "tok");
  auto reconfigured = Runtime({"other.test"});  // example.test removed from [dns01]
  RemoveDomainLeftovers(*store_, reconfigured.get(), 7, "shop.example.test");
  EXPECT_TRUE(Listed(7).empty()) << "without the zone's key it can never be removed";
  EXPECT_EQ(Served(), std::vector<std::string>{Value("tok")});
}

}  // namespace
}  // namespace certfleet::issuance
