// certfleet-hub issuing by DNS-01 through CNAME delegation (issue 15), all real processes:
// BIND holds the customer's zone example.test (where the CNAME is created, by RFC 2136
// as a customer's DNS panel would) and is the resolver Pebble and the hub's check ask: it
// forwards the delegated zone acme.hub.test to the hub's own DNS responder. Pebble
// validates through it, following _acme-challenge.<name> CNAME <label>.acme.hub.test into
// the hub. The hub is configured only through its config file; its support chat is a
// webhook receiver (notify/testing), told once when the domain waits and once when it no
// longer does.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/net.h"
#include "harness/subprocess.h"
#include "hub_dns01_fixture.h"
#include "notify/testing/webhook_receiver.h"

namespace certfleet::hubdns01 {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kZone = "acme.hub.test";

class HubDelegationTest : public HubDns01Fixture {
 protected:
  HubDelegationTest() : HubDns01Fixture("hub-delegation") {}

  void SetUp() override {
    dns_port_ = harness::FreeLoopbackUdpTcpPort();
    ASSERT_NO_FATAL_FAILURE(StartDnsAndCa({{kZone, "127.0.0.1", dns_port_}}));
    // example.test delegated to the hub's DNS responder; support hears of delegations.
    std::ostringstream rest;
    rest << "[dns01.delegation]\nzone = \"" << kZone << "\"\n"
         << "nameservers = [\"ns1.provider.test\", \"ns2.provider.test\"]\n"
         << "listen = \"127.0.0.1:" << dns_port_ << "\"\n\n"
         << "[[dns01.zone]]\nzone = \"example.test\"\nsolver = \"delegation\"\n\n"
         << "[notify]\n[[notify.channel]]\nname = \"support-chat\"\ntype = \"slack\"\n"
         << "url = \"" << chat_.Url("/chat") << "\"\nevents = [\"delegation\"]\n"
         << "group_window_seconds = 0\n";
    StartHub(R"(["dns-01"])", rest.str());
  }

  // The customer creates the CNAME in their own zone (here by RFC 2136, like a DNS panel).
  void CreateCname(const std::string& name, const std::string& target) {
    dir_.WriteFile("cname.txt", "server 127.0.0.1 " + std::to_string(named_->port()) +
                                    "\nzone example.test\nupdate add " + name + ". 1 CNAME " +
                                    target + ".\nsend\n");
    auto r = harness::RunCommand(
        {"nsupdate", "-k", named_->KeyFile(), (dir_.path() / "cname.txt").string()});
    ASSERT_TRUE(r) << r.error().message;
    ASSERT_EQ(r->exit_code, 0) << r->output;
  }

  harness::CommandResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {CERTFLEET_CLI, "--hub", Base(), "--token", hub_->admin_token});
    auto r = harness::RunCommand(args, 30s);
    EXPECT_TRUE(r) << r.error().message;
    return r.value_or(harness::CommandResult{});
  }

  // The text of every message the support chat received.
  std::vector<std::string> ChatMessages() const {
    std::vector<std::string> out;
    for (const auto& request : chat_.Requests("/chat"))
      out.push_back(json::parse(request.body).value("text", request.body));
    return out;
  }

  notify::testing::WebhookReceiver chat_;
  std::uint16_t dns_port_ = 0;
};

// The whole story: saved without the CNAME, the domain waits saying which CNAME to create
// (no order at the CA; the API and the CLI show the CNAME and the failed check); once the
// customer created it, the check passes and requests the issuance, which gets apex +
// wildcard through the hub's own DNS, and no TXT record is left behind.
TEST_F(HubDelegationTest, AWildcardWaitsForTheCnameThenIsIssuedThroughTheHubsDns) {
  ASSERT_NO_FATAL_FAILURE(AddShopWithWildcard());

  json waiting = WaitFor("its delegation message", [](const json& v) {
    return v.value("last_error", "").find("delegation missing") != std::string::npos;
  });
  const std::string message = waiting.value("last_error", "");
  std::smatch match;
  const std::regex create(
      R"(create _acme-challenge\.shop\.example\.test\. CNAME ([a-z2-7]{16})\.)" +
      std::string(R"(acme\.hub\.test\.)"));
  ASSERT_TRUE(std::regex_search(message, match, create)) << message;
  const std::string target = match[1].str() + "." + kZone;
  EXPECT_EQ(waiting.value("status", ""), "pending") << "a waiting domain is not failed";
  EXPECT_EQ(waiting.value("failure_count", -1), 0) << "waiting for a CNAME burnt an attempt";

  // The API and the CLI show the same CNAME and the failed check.
  auto dns01 = Api("GET", "/api/v1/domains/shop.example.test/dns01");
  ASSERT_EQ(dns01.status, 200) << dns01.body;
  json view = json::parse(dns01.body);
  ASSERT_TRUE(view["delegation"].is_object()) << view.dump(2);
  ASSERT_EQ(view["delegation"]["records"].size(), 1u) << "a name and its wildcard share one CNAME";
  EXPECT_EQ(view["delegation"]["records"][0].value("target", ""), target);
  EXPECT_EQ(view["delegation"]["last_check"].value("state", ""), "missing");
  harness::CommandResult shown = Cli({"domain", "dns01", "shop.example.test"});
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("_acme-challenge.shop.example.test. CNAME " + target + "."),
            std::string::npos)
      << shown.output;
  harness::CommandResult failing = Cli({"domain", "dns01", "shop.example.test", "--check"});
  EXPECT_EQ(failing.exit_code, 1) << failing.output;
  EXPECT_NE(failing.output.find("PROBLEM  delegation missing"), std::string::npos)
      << failing.output;

  // Support hears of it once, with the CNAME to create — not again for the second failing
  // check (the --check above), nor at the job's rechecks.
  ASSERT_TRUE(harness::WaitFor([&] { return !ChatMessages().empty(); }, kIssueTimeout, 50ms))
      << "support was never told that the domain waits for its delegation";
  const std::string told = ChatMessages()[0];
  EXPECT_NE(told.find("waiting for its DNS-01 delegation"), std::string::npos) << told;
  EXPECT_NE(told.find("CNAME " + target + "."), std::string::npos) << told;

  // The customer creates the CNAME; the check passes and requests the issuance at once.
  CreateCname("_acme-challenge.shop.example.test", target);
  harness::CommandResult passing = Cli({"domain", "dns01", "shop.example.test", "--check"});
  EXPECT_EQ(passing.exit_code, 0) << passing.output;
  EXPECT_NE(passing.output.find("issuance was requested"), std::string::npos) << passing.output;
  json valid =
      WaitFor("a certificate", [](const json& v) { return v.value("status", "") == "valid"; });
  EXPECT_EQ(valid.value("last_error", "x"), "");

  ASSERT_TRUE(harness::WaitFor([&] { return ChatMessages().size() >= 2; }, kIssueTimeout, 50ms))
      << "support was never told that the delegation is in place";
  const std::vector<std::string> chat = ChatMessages();
  EXPECT_EQ(chat.size(), 2u) << "support was told more than once: " << chat.back();
  EXPECT_NE(chat[1].find("DNS-01 delegation in place"), std::string::npos) << chat[1];

  EXPECT_EQ(CertificateNames(),
            (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));

  // The digests are withdrawn after the order: nothing is left at the label (BIND may
  // still hold the last answer for its 1 s TTL).
  std::vector<std::string> left{"not asked yet"};
  for (auto deadline = std::chrono::steady_clock::now() + 5s;
       !left.empty() && std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(200ms)) {
    auto dug = named_->Dig(target, "TXT");
    ASSERT_TRUE(dug) << dug.error().message;
    left = *dug;
  }
  EXPECT_TRUE(left.empty()) << "TXT records left at " << target << ": " << left.front();
}

}  // namespace
}  // namespace certfleet::hubdns01
