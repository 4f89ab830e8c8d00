// DNS-01 by RFC 2136 end to end (integration): BIND is the provider's DNS (updated with
// TSIG) and Pebble's resolver; Pebble validates the TXT records the solver put there.
#include <gtest/gtest.h>

#include "acme/client.h"
#include "common/clock.h"
#include "crypto/key.h"
#include "crypto/x509.h"
#include "harness/named_server.h"
#include "harness/pebble_server.h"
#include "net/curl/curl_transport.h"
#include "solver/dns01/rfc2136_solver.h"
#include "solver/dns01/zone_router.h"
#include "solver/http01_responder.h"

namespace certfleet::solver {
namespace {

Result<acme::ObtainedCertificate> Issue(const harness::PebbleServer& pebble,
                                        std::vector<acme::ChallengeSolver*> solvers,
                                        std::vector<std::string> names) {
  auto transport = net::CurlTransport::Create({.ca_file = pebble.CaFile()});
  if (!transport) return Fail(transport.error());
  auto client = acme::Client::Open(**transport, SystemClock::Instance(), pebble.DirectoryUrl());
  if (!client) return Fail(client.error());
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  if (!key) return Fail(key.error());
  auto account = (*client)->RegisterAccount(*key, {.contact = {"mailto:ops@example.com"}});
  if (!account) return Fail(account.error());
  acme::ObtainRequest request;
  request.names = std::move(names);
  request.solvers = std::move(solvers);
  return (*client)->ObtainCertificate(acme::Signer{*key, account->url}, request);
}

// Passes everything to `inner` and counts what was presented.
class CountingSolver final : public acme::ChallengeSolver {
 public:
  explicit CountingSolver(acme::ChallengeSolver& inner) : inner_(inner) {}
  std::string_view Type() const override { return inner_.Type(); }
  Status Present(const acme::ChallengeTask& task) override {
    ++presented_;
    return inner_.Present(task);
  }
  Status CleanUp(const acme::ChallengeTask& task) override { return inner_.CleanUp(task); }
  int presented() const { return presented_; }

 private:
  acme::ChallengeSolver& inner_;
  int presented_ = 0;
};

class Rfc2136PebbleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = harness::NamedServer::Start(
        {.zones = {{"example.test", "shop A 127.0.0.1\nwww.shop A 127.0.0.1\n"},
                   {"locked.test", "shop A 127.0.0.1\n", /*allow_update=*/false}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
  }

  Rfc2136Settings Settings(std::string zone = "example.test") const {
    const dns::ServerAddress server = *dns::ParseServerAddress(named_->Address());
    return {.zone = std::move(zone),
            .server = server,
            .key = {named_->key_name(), "hmac-sha256", named_->key_secret()},
            .check_servers = {server},
            .propagation_timeout = std::chrono::seconds(10)};
  }

  std::unique_ptr<harness::NamedServer> named_;
};

TEST_F(Rfc2136PebbleTest, IssuesAWildcardAndItsApexAndRemovesTheRecords) {
  auto pebble = harness::PebbleServer::Start({.dns_server = named_->Address()});
  ASSERT_TRUE(pebble) << pebble.error().message;
  Rfc2136Solver solver(Settings(), SystemClock::Instance());
  auto cert = Issue(**pebble, {&solver}, {"shop.example.test", "*.shop.example.test"});
  ASSERT_TRUE(cert) << cert.error().message;
  const std::vector<std::string> names = cert->chain.front().DnsNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "*.shop.example.test"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "shop.example.test"), names.end());
  auto left = named_->Dig("_acme-challenge.shop.example.test", "TXT");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->empty()) << "CleanUp must delete the TXT records from BIND";
}

TEST_F(Rfc2136PebbleTest, MixedOrderApexByHttp01WildcardByDns01) {
  auto http = StandaloneHttp01Solver::Start("127.0.0.1:0");
  ASSERT_TRUE(http) << http.error().message;
  auto pebble =
      harness::PebbleServer::Start({.http_port = (*http)->port(), .dns_server = named_->Address()});
  ASSERT_TRUE(pebble) << pebble.error().message;
  Rfc2136Solver rfc2136(Settings(), SystemClock::Instance());
  ZoneRouter dns01({{"example.test", &rfc2136}});
  CountingSolver counted(**http);
  auto cert = Issue(**pebble, {&counted, &dns01}, {"www.shop.example.test", "*.shop.example.test"});
  ASSERT_TRUE(cert) << cert.error().message;
  EXPECT_EQ(counted.presented(), 1) << "the apex goes by HTTP-01, the wildcard by DNS-01";
}

TEST_F(Rfc2136PebbleTest, AWrongKeyFailsTheOrderBeforeTheCaIsAsked) {
  auto pebble = harness::PebbleServer::Start({.dns_server = named_->Address()});
  ASSERT_TRUE(pebble) << pebble.error().message;
  Rfc2136Settings settings = Settings();
  settings.key.secret = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  Rfc2136Solver solver(settings, SystemClock::Instance());
  auto cert = Issue(**pebble, {&solver}, {"*.shop.example.test"});
  ASSERT_FALSE(cert);
  EXPECT_NE(cert.error().message.find("*.shop.example.test: presenting the dns-01 challenge"),
            std::string::npos)
      << cert.error().message;
  EXPECT_NE(cert.error().message.find("BADSIG"), std::string::npos) << cert.error().message;
}

// Issue 15: an unknown zone and a refused update each fail the order with their own
// sentence while presenting the challenge, so the CA is never told to validate and no
// order is finalized; nothing is left in BIND.
TEST_F(Rfc2136PebbleTest, AnUnknownZoneAndARefusedUpdateFailTheOrderBeforeTheCaIsAsked) {
  auto pebble = harness::PebbleServer::Start({.dns_server = named_->Address()});
  ASSERT_TRUE(pebble) << pebble.error().message;
  struct Case {
    std::string zone;
    std::string name;
    std::string says;
  };
  for (const Case& c :
       {Case{"other.test", "*.shop.other.test", "not authoritative for zone other.test (NOTAUTH)"},
        Case{"locked.test", "*.shop.locked.test",
             "refused the update (REFUSED): allow TSIG key"}}) {
    SCOPED_TRACE(c.zone);
    Rfc2136Solver rfc2136(Settings(c.zone), SystemClock::Instance());
    CountingSolver counted(rfc2136);
    auto cert = Issue(**pebble, {&counted}, {c.name});
    ASSERT_FALSE(cert);
    EXPECT_EQ(counted.presented(), 1);
    EXPECT_NE(cert.error().message.find(c.name + ": presenting the dns-01 challenge"),
              std::string::npos)
        << cert.error().message;
    EXPECT_NE(cert.error().message.find(c.says), std::string::npos) << cert.error().message;
    auto left = named_->Dig("_acme-challenge.shop." + c.zone, "TXT");
    ASSERT_TRUE(left) << left.error().message;
    EXPECT_TRUE(left->empty());
  }
}

}  // namespace
}  // namespace certfleet::solver
