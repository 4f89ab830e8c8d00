// The delegation check against real BIND as the resolver (integration): a customer zone
// with good, wrong and missing CNAMEs, the hub's zone forwarded to our responder — or,
// for "the NS does not reach the hub", left on BIND itself.
#include "solver/dns01/delegation_check.h"

#include <gtest/gtest.h>

#include "dns/client.h"
#include "dns/responder/dns_server.h"
#include "harness/named_server.h"
#include "harness/net.h"
#include "solver/dns01/testing/memory_txt_board.h"

namespace certfleet::solver {
namespace {

constexpr const char* kLabel = "k7wq3vd2mzx4tq5a";
constexpr const char* kZone = "acme.hub.test";

std::string CustomerZone() {
  return std::string("good A 127.0.0.1\n") + "_acme-challenge.good CNAME " + kLabel + "." + kZone +
         ".\n" + "_acme-challenge.other CNAME zzzzzzzzzzzzzzzz." + kZone + ".\n" +
         "_acme-challenge.txt TXT \"an-old-value\"\n";
}

class DelegationCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto answerer =
        dns::ZoneAnswerer::Create({.zone = kZone, .nameservers = {"hub1.test"}}, board_);
    ASSERT_TRUE(answerer);
    answerer_ = std::move(*answerer);
    auto responder = dns::DnsServer::Start({.listen = "127.0.0.1:0"}, *answerer_);
    ASSERT_TRUE(responder) << responder.error().message;
    responder_ = std::move(*responder);
  }

  DelegationCheck Check(const harness::NamedServer& resolver, std::vector<std::string> names) {
    DelegationChecker checker(board_,
                              {.resolver = *dns::ParseServerAddress(resolver.Address()),
                               .zone = kZone,
                               .nameservers = {"hub1.test", "hub2.test"},
                               .probe_retry = std::chrono::milliseconds(300)},
                              SystemClock::Instance());
    return checker.Check(names, kLabel);
  }

  std::unique_ptr<harness::NamedServer> Resolver(bool forward_to_hub) {
    harness::NamedOptions options{.zones = {{"example.test", CustomerZone()}}};
    if (forward_to_hub) {
      options.forwards.push_back({kZone, "127.0.0.1", responder_->port()});
    } else {
      options.zones.push_back({kZone, "", false});  // the zone stayed on the provider's DNS
    }
    auto named = harness::NamedServer::Start(options);
    EXPECT_TRUE(named) << named.error().message;
    return named ? std::move(*named) : nullptr;
  }

  testing::MemoryTxtBoard board_;
  std::unique_ptr<dns::ZoneAnswerer> answerer_;
  std::unique_ptr<dns::DnsServer> responder_;
};

TEST_F(DelegationCheckTest, EachProblemHasItsOwnMessage) {
  auto named = Resolver(true);
  ASSERT_TRUE(named);
  DelegationCheck check =
      Check(*named, {"good.example.test", "*.good.example.test", "missing.example.test",
                     "other.example.test", "txt.example.test"});
  ASSERT_EQ(check.findings.size(), 4u);
  EXPECT_FALSE(check.ok());

  const DelegationFinding& good = check.findings[0];
  EXPECT_EQ(good.state, DelegationState::kOk) << good.message;

  const DelegationFinding& missing = check.findings[1];
  EXPECT_EQ(missing.state, DelegationState::kMissing);
  EXPECT_NE(missing.message.find("delegation missing: create _acme-challenge.missing.example.test."
                                 " CNAME k7wq3vd2mzx4tq5a.acme.hub.test."),
            std::string::npos)
      << missing.message;

  const DelegationFinding& other = check.findings[2];
  EXPECT_EQ(other.state, DelegationState::kWrongTarget);
  EXPECT_NE(other.message.find("is a CNAME to zzzzzzzzzzzzzzzz.acme.hub.test, not to this "
                               "domain's k7wq3vd2mzx4tq5a.acme.hub.test"),
            std::string::npos)
      << other.message;

  const DelegationFinding& txt = check.findings[3];
  EXPECT_EQ(txt.state, DelegationState::kWrongTarget);
  EXPECT_NE(txt.message.find("has TXT records instead of a CNAME"), std::string::npos)
      << txt.message;
  EXPECT_EQ(board_.size(), 0u) << "the probe must be withdrawn after the check";
}

TEST_F(DelegationCheckTest, AZoneThatIsNotDelegatedToTheHubIsNamed) {
  auto named = Resolver(false);
  ASSERT_TRUE(named);
  DelegationCheck check = Check(*named, {"good.example.test"});
  ASSERT_EQ(check.findings.size(), 1u);
  const DelegationFinding& finding = check.findings[0];
  EXPECT_EQ(finding.state, DelegationState::kNotReachingHub);
  EXPECT_NE(finding.message.find("points to k7wq3vd2mzx4tq5a.acme.hub.test as it should, but "
                                 "acme.hub.test does not reach this hub (the resolver answered "
                                 "NXDOMAIN for a test record at "),
            std::string::npos)
      << finding.message;
  EXPECT_NE(finding.message.find(".acme.hub.test): delegate acme.hub.test with NS records to "
                                 "hub1.test, hub2.test"),
            std::string::npos)
      << finding.message;
}

// The CA asks right after a passing check, often through the same resolver: it must get the
// digests at the domain's label, not the check's probe (or "no record") from the resolver's
// cache. So the check asks nothing at the label, and the order needs no pause after it.
TEST_F(DelegationCheckTest, APassingCheckLeavesNothingCachedAtTheDomainsLabel) {
  auto named = Resolver(true);
  ASSERT_TRUE(named);
  ASSERT_TRUE(Check(*named, {"good.example.test", "*.good.example.test"}).ok());
  ASSERT_TRUE(board_.Publish("token-1", kLabel, "the-digest",
                             SystemClock::Instance().Now() + std::chrono::minutes(1)));
  auto answer = dns::Ask(*dns::ParseServerAddress(named->Address()),
                         "_acme-challenge.good.example.test", dns::rrtype::kTxt, true, {});
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->TxtAt(std::string(kLabel) + "." + kZone),
            (std::vector<std::string>{"the-digest"}));
}

TEST_F(DelegationCheckTest, ADeadResolverIsAResolverError) {
  DelegationChecker checker(board_,
                            {.resolver = {"127.0.0.1", harness::FreeLoopbackUdpTcpPort()},
                             .zone = kZone,
                             .nameservers = {"hub1.test"},
                             .exchange = {.timeout = std::chrono::milliseconds(300)}},
                            SystemClock::Instance());
  DelegationCheck check = checker.Check({"good.example.test"}, kLabel);
  ASSERT_EQ(check.findings.size(), 1u);
  EXPECT_EQ(check.findings[0].state, DelegationState::kResolverError);
  EXPECT_NE(check.findings[0].message.find("could not be asked"), std::string::npos)
      << check.findings[0].message;
}

}  // namespace
}  // namespace certfleet::solver
