// DelegatedZone over real sockets and real SQLite stores: the hub's authoritative DNS for
// the delegated zone answers what is on the store — also what another hub on the same
// database published — and nothing else.
#include "hub/delegated_zone.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "dns/client.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub {
namespace {

using namespace std::chrono_literals;

constexpr const char* kZone = "acme.hub.test";
constexpr const char* kLabel = "k7wq3vd2mzx4tq5a";

class DelegatedZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("certfleet_zone_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (auto* s : {&store_a_, &store_b_}) {
      auto opened = store::OpenSqliteStore({.path = (dir_ / "hub.db").string()});
      ASSERT_TRUE(opened) << opened.error().message;
      *s = std::move(*opened);
    }
    hub_a_ = StartZone(*store_a_);
    hub_b_ = StartZone(*store_b_);
    ASSERT_TRUE(hub_a_ && hub_b_);
  }
  void TearDown() override {
    hub_a_.reset();
    hub_b_.reset();
    store_a_.reset();
    store_b_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<DelegatedZone> StartZone(store::Store& store) {
    solver::DelegationConfig config{.zone = kZone,
                                    .nameservers = {"ns1.provider.test", "ns2.provider.test"},
                                    .listen = "127.0.0.1:0"};
    auto zone = DelegatedZone::Start(config, store, SystemClock::Instance(), 100ms);
    EXPECT_TRUE(zone) << zone.error().message;
    return zone ? std::move(*zone) : nullptr;
  }

  static dns::Message Ask(const DelegatedZone& zone, const std::string& name, std::uint16_t type,
                          bool tcp = false) {
    auto answer = dns::Ask(zone.address(), name, type, false, {.timeout = 2s, .tcp = tcp});
    EXPECT_TRUE(answer) << answer.error().message;
    return answer.value_or(dns::Message{});
  }
  static std::vector<std::string> Txt(const DelegatedZone& zone, const std::string& name) {
    auto values = Ask(zone, name, dns::rrtype::kTxt).TxtAt(name);
    std::sort(values.begin(), values.end());
    return values;
  }
  // Polls until `zone` answers `want` at <label>.<zone> (or 2 s passed).
  static std::vector<std::string> TxtWithin(const DelegatedZone& zone,
                                            const std::vector<std::string>& want) {
    const std::string name = std::string(kLabel) + "." + kZone;
    std::vector<std::string> got;
    for (auto deadline = std::chrono::steady_clock::now() + 2s;
         std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(20ms)) {
      got = Txt(zone, name);
      if (got == want) break;
    }
    return got;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_a_, store_b_;
  std::unique_ptr<DelegatedZone> hub_a_, hub_b_;
};

TEST_F(DelegatedZoneTest, AnswersSoaAndNsAtTheApexOverUdpAndTcp) {
  for (bool tcp : {false, true}) {
    dns::Message soa = Ask(*hub_a_, kZone, dns::rrtype::kSoa, tcp);
    EXPECT_EQ(soa.rcode, dns::rcode::kNoError);
    ASSERT_EQ(soa.answer.size(), 1u) << (tcp ? "TCP" : "UDP");
    EXPECT_EQ(soa.answer[0].type, dns::rrtype::kSoa);
    dns::Message ns = Ask(*hub_a_, kZone, dns::rrtype::kNs, tcp);
    EXPECT_EQ(ns.answer.size(), 2u) << (tcp ? "TCP" : "UDP");
  }
}

TEST_F(DelegatedZoneTest, UnknownLabelsAreNxDomainAndOtherZonesRefused) {
  EXPECT_EQ(Ask(*hub_a_, std::string(kLabel) + "." + kZone, dns::rrtype::kTxt).rcode,
            dns::rcode::kNxDomain);
  EXPECT_EQ(Ask(*hub_a_, "example.com", dns::rrtype::kA).rcode, dns::rcode::kRefused)
      << "the hub's DNS must not answer (or resolve) names outside its zone";
}

TEST_F(DelegatedZoneTest, ANameAndItsWildcardAreAnsweredTogetherAtOnceByThePublishingHub) {
  const TimePoint until = SystemClock::Instance().Now() + 1h;
  ASSERT_TRUE(hub_a_->board().Publish("tok-apex", kLabel, "digest-apex", until));
  ASSERT_TRUE(hub_a_->board().Publish("tok-wild", kLabel, "digest-wild", until));
  // No polling: the publishing hub answers before Publish returns.
  EXPECT_EQ(Txt(*hub_a_, std::string(kLabel) + "." + kZone),
            (std::vector<std::string>{"digest-apex", "digest-wild"}));
  dns::Message other_type = Ask(*hub_a_, std::string(kLabel) + "." + kZone, dns::rrtype::kA);
  EXPECT_EQ(other_type.rcode, dns::rcode::kNoError) << "NODATA, not NXDOMAIN, at an existing name";
  EXPECT_TRUE(other_type.answer.empty());
}

TEST_F(DelegatedZoneTest, AnotherHubOnTheSameDatabaseAnswersTheSameRecords) {
  const TimePoint until = SystemClock::Instance().Now() + 1h;
  ASSERT_TRUE(hub_a_->board().Publish("tok", kLabel, "digest", until));
  EXPECT_EQ(TxtWithin(*hub_b_, {"digest"}), (std::vector<std::string>{"digest"}))
      << "hub B did not answer hub A's record within 2 s";
  ASSERT_TRUE(hub_b_->board().Withdraw("tok"));
  EXPECT_EQ(TxtWithin(*hub_a_, {}), std::vector<std::string>{})
      << "hub A still answered a record hub B withdrew";
}

TEST_F(DelegatedZoneTest, TheRespondersToWaitForIncludeItselfOnLoopback) {
  auto responders = hub_a_->Responders();
  ASSERT_EQ(responders.size(), 1u);
  EXPECT_EQ(responders[0].ToString(), hub_a_->address().ToString());
}

}  // namespace
}  // namespace certfleet::hub
