// src/dns against a real BIND 9 (integration): RFC 2136 updates with TSIG and their
// errors, waiting for a TXT record on the authoritative servers, and BIND as the
// resolver that follows a customer's CNAME into the zone the hub's responder answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "common/clock.h"
#include "dns/client.h"
#include "dns/responder/dns_server.h"
#include "dns/txt_wait.h"
#include "dns/update.h"
#include "harness/named_server.h"
#include "harness/net.h"

namespace certfleet::dns {
namespace {

using harness::NamedServer;

constexpr const char* kName = "_acme-challenge.shop.example.test";

class BindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = NamedServer::Start(
        {.zones = {{"example.test", "shop A 127.0.0.1\n"}, {"locked.test", "", false}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
  }

  UpdateServer Target(std::string zone = "example.test") const {
    return {*ParseServerAddress(named_->Address()), std::move(zone),
            TsigKey{named_->key_name(), "hmac-sha256", named_->key_secret()}};
  }

  std::vector<std::string> Txt(const std::string& name) const {
    auto values = named_->Dig(name, "TXT");
    EXPECT_TRUE(values) << values.error().message;
    return values.value_or(std::vector<std::string>{});
  }

  std::unique_ptr<NamedServer> named_;
};

TEST_F(BindTest, AddsWaitsForAndDeletesATxtRecord) {
  ASSERT_TRUE(AddTxtRecord(Target(), kName, "digest-one", 60));
  ASSERT_TRUE(AddTxtRecord(Target(), kName, "digest-two", 60));
  ASSERT_TRUE(AddTxtRecord(Target(), kName, "digest-two", 60)) << "adding twice is fine";
  EXPECT_EQ(Txt(kName).size(), 2u);
  TxtWait wait{.servers = {*ParseServerAddress(named_->Address())},
               .timeout = std::chrono::seconds(5)};
  EXPECT_TRUE(WaitForTxt(wait, kName, "digest-one", SystemClock::Instance()));
  ASSERT_TRUE(DeleteTxtRecord(Target(), kName, "digest-one"));
  EXPECT_EQ(Txt(kName), (std::vector<std::string>{"\"digest-two\""}));
  ASSERT_TRUE(DeleteTxtRecord(Target(), kName, "digest-two"));
  ASSERT_TRUE(DeleteTxtRecord(Target(), kName, "digest-two")) << "deleting twice is fine";
  EXPECT_TRUE(Txt(kName).empty()) << "the TXT record must be gone from BIND";
}

TEST_F(BindTest, AWrongSecretIsBadSig) {
  UpdateServer target = Target();
  target.key.secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  auto added = AddTxtRecord(target, kName, "x", 60);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(added.error().message.find("(BADSIG)"), std::string::npos) << added.error().message;
  EXPECT_NE(added.error().message.find("the secret of TSIG key \"acme-key\" differs"),
            std::string::npos);
  EXPECT_EQ(added.error().message.find("AAAAAAAA"), std::string::npos) << "secret leaked";
  EXPECT_TRUE(Txt(kName).empty());
}

TEST_F(BindTest, AnUnknownKeyNameIsBadKey) {
  UpdateServer target = Target();
  target.key.name = "someone-else";
  auto added = AddTxtRecord(target, kName, "x", 60);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(added.error().message.find("does not know TSIG key \"someone-else\""),
            std::string::npos)
      << added.error().message;
}

TEST_F(BindTest, AZoneTheServerDoesNotServeIsNotAuth) {
  auto added = AddTxtRecord(Target("other.test"), "_acme-challenge.x.other.test", "x", 60);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(added.error().message.find("not authoritative for zone other.test (NOTAUTH)"),
            std::string::npos)
      << added.error().message;
}

TEST_F(BindTest, AZoneWithoutUpdatePermissionIsRefused) {
  auto added = AddTxtRecord(Target("locked.test"), "_acme-challenge.locked.test", "x", 60);
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(added.error().message.find("refused the update (REFUSED): allow TSIG key"),
            std::string::npos)
      << added.error().message;
}

TEST_F(BindTest, ANameOutsideTheZoneIsNotZone) {
  auto added = AddTxtRecord(Target(), "_acme-challenge.elsewhere.test", "x", 60);
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message.find("NOTZONE"), std::string::npos) << added.error().message;
}

TEST_F(BindTest, WaitingNamesTheServerThatDoesNotHaveTheRecord) {
  ASSERT_TRUE(AddTxtRecord(Target(), kName, "digest-one", 60));
  auto other = NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
  ASSERT_TRUE(other) << other.error().message;
  TxtWait wait{
      .servers = {*ParseServerAddress(named_->Address()), *ParseServerAddress((*other)->Address())},
      .timeout = std::chrono::milliseconds(600),
      .interval = std::chrono::milliseconds(100)};
  auto waited = WaitForTxt(wait, kName, "digest-one", SystemClock::Instance());
  ASSERT_FALSE(waited);
  EXPECT_EQ(waited.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_NE(waited.error().message.find((*other)->Address() + " answered NXDOMAIN"),
            std::string::npos)
      << waited.error().message;
  EXPECT_EQ(waited.error().message.find(named_->Address()), std::string::npos)
      << "the server that has it is not named";
}

TEST_F(BindTest, FindsTheAuthoritativeServersThroughTheResolver) {
  auto servers = FindAuthoritativeServers(*ParseServerAddress(named_->Address()), "example.test");
  ASSERT_TRUE(servers) << servers.error().message;
  EXPECT_EQ(*servers, (std::vector<ServerAddress>{{"127.0.0.1", 53}}));
}

class OneLabel final : public TxtSource {
 public:
  std::vector<std::string> Lookup(std::string_view label) const override {
    if (label == "k7wq3vd2") return {"digest-apex", "digest-wildcard"};
    return {};
  }
};

TEST(BindResolverTest, FollowsTheCustomersCnameIntoTheHubsZone) {
  OneLabel source;
  auto answerer = ZoneAnswerer::Create(
      {.zone = "acme.hub.test", .nameservers = {"hub1.provider.test"}}, source);
  ASSERT_TRUE(answerer);
  auto responder = DnsServer::Start({.listen = "127.0.0.1:0"}, **answerer);
  ASSERT_TRUE(responder) << responder.error().message;
  auto named = NamedServer::Start(
      {.zones = {{"example.test",
                  "shop A 127.0.0.1\n_acme-challenge.shop CNAME k7wq3vd2.acme.hub.test.\n"}},
       .forwards = {{"acme.hub.test", "127.0.0.1", (*responder)->port()}}});
  ASSERT_TRUE(named) << named.error().message;
  auto answer = Ask(*ParseServerAddress((*named)->Address()), kName, rrtype::kTxt, true);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->rcode, rcode::kNoError);
  EXPECT_EQ(answer->CnameOf(kName), "k7wq3vd2.acme.hub.test");
  std::vector<std::string> values = answer->TxtAt("k7wq3vd2.acme.hub.test");
  std::sort(values.begin(), values.end());  // a resolver may rotate an RRset's order
  EXPECT_EQ(values, (std::vector<std::string>{"digest-apex", "digest-wildcard"}));
}

}  // namespace
}  // namespace certfleet::dns
