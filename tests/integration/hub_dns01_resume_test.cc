// A certfleet-hub SIGKILLed in the middle of a DNS-01 order by RFC 2136 (issue 15) finishes
// the order after a restart and leaves no TXT record in the provider's zone. All real
// processes: BIND (the provider's DNS, updated with TSIG, and Pebble's resolver), Pebble
// and the hub. The hub sends its updates through a TcpGate, which holds a chosen update so
// that the kill happens at a known step:
//   - just after the CA validated: both adds passed, the first delete is held. The restarted
//     hub finds both authorizations valid, so its order never cleans them up itself; only
//     the record kept in the store tells it what to remove.
//   - while waiting for propagation: one of the two servers the record must reach never
//     answers; the hub is killed with the first record added, then restarted with that
//     server fixed.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "harness/hub_process.h"
#include "harness/named_server.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/tcp_gate.h"
#include "harness/temp_dir.h"

namespace certfleet {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kIssueTimeout = 90s;  // debug + ASan on shared cores
constexpr const char* kRecord = "_acme-challenge.shop.example.test";

class HubDns01ResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = harness::NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
    hub_port_ = harness::FreeLoopbackPort();
    auto pebble =
        harness::PebbleServer::Start({.http_port = hub_port_, .dns_server = named_->Address()});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = std::move(*pebble);
  }

  void TearDown() override {
    if (HasFailure()) {
      std::ifstream log(dir_.path() / "hub.log");
      std::cout << "--- hub.log ---\n" << std::string(std::istreambuf_iterator<char>(log), {});
    }
  }

  // (Re)starts the hub on the same data dir: DNS-01 only, example.test by RFC 2136 with
  // updates sent to `update_server` and the record awaited on `check_servers`.
  void StartHub(const std::string& update_server, const std::vector<std::string>& check_servers) {
    std::string checks;
    for (const std::string& s : check_servers)
      checks += (checks.empty() ? "\"" : ", \"") + s + "\"";
    std::ofstream(dir_.path() / "hub.toml")
        << "data_dir = \"" << (dir_.path() / "data").string() << "\"\n"
        << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
        << "[[issuer]]\nname = \"pebble\"\n"
        << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
        << "ca_file = \"" << pebble_->CaFile() << "\"\n"
        << "challenges = [\"dns-01\"]\n\n"
        << "[dns01]\nresolver = \"" << named_->Address() << "\"\n\n"
        << "[[dns01.zone]]\nzone = \"example.test\"\nsolver = \"rfc2136\"\n"
        << "server = \"" << update_server << "\"\nkey_name = \"" << named_->key_name() << "\"\n"
        << "secret_file = \"" << named_->KeyFile() << "\"\n"
        << "check_servers = [" << checks << "]\n"
        << "ttl = 5\npropagation_timeout_seconds = 60\n";
    auto hub =
        harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                  .config_file = dir_.path() / "hub.toml",
                                  .data_dir = dir_.path() / "data",
                                  .base_url = "http://127.0.0.1:" + std::to_string(hub_port_),
                                  .log_file = dir_.path() / "hub.log"});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
  }

  void KillHub() {
    hub_->process->Signal(SIGKILL);
    hub_->process->Wait(5s);
    hub_.reset();
  }

  void AddShopWithWildcard() {
    auto r = hub_->AdminApi("POST", "/api/v1/domains",
                            R"({"name":"shop.example.test","sans":["*.shop.example.test"],)"
                            R"("issuer":"pebble"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  json WaitForStatus(const std::string& want) {
    json view;
    const bool reached = harness::WaitFor(
        [&] {
          auto r = hub_->AdminApi("GET", "/api/v1/domains/shop.example.test");
          if (r.status == 200) view = json::parse(r.body);
          return view.value("status", "") == want;
        },
        kIssueTimeout, 100ms);
    EXPECT_TRUE(reached) << "the domain never became " << want << ": " << view.dump(2);
    return view;
  }

  std::size_t TxtServed() {
    auto lines = named_->Dig(kRecord, "TXT");
    EXPECT_TRUE(lines) << lines.error().message;
    return lines ? lines->size() : 0;
  }

  harness::TempDir dir_{"hub-dns01-resume"};
  std::uint16_t hub_port_ = 0;
  std::unique_ptr<harness::NamedServer> named_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<harness::HubProcess> hub_;
};

TEST_F(HubDns01ResumeTest, KilledJustAfterValidationTheOrderEndsValidAndNoTxtIsLeft) {
  auto gate = harness::TcpGate::Start(named_->port(), /*pass=*/2);  // the two adds
  ASSERT_TRUE(gate) << gate.error().message;
  const std::string through_gate = "127.0.0.1:" + std::to_string((*gate)->port());
  StartHub(through_gate, {named_->Address()});
  AddShopWithWildcard();
  ASSERT_TRUE(harness::WaitFor([&] { return (*gate)->held() > 0; }, kIssueTimeout, 10ms))
      << "the hub never started deleting its records (" << (*gate)->accepted() << " updates seen)";
  KillHub();  // validated by the CA, first delete in flight
  ASSERT_EQ(TxtServed(), 2u) << "the kill came too late: the records were already deleted";

  (*gate)->PassAll();
  StartHub(through_gate, {named_->Address()});
  json view = WaitForStatus("valid");
  EXPECT_EQ(view.value("last_error", ""), "");
  EXPECT_EQ(TxtServed(), 0u) << "a TXT record was left in the provider's zone";
}

TEST_F(HubDns01ResumeTest, KilledWhileWaitingForPropagationTheOrderEndsValidAndNoTxtIsLeft) {
  // A second "authoritative server" nobody answers on: the record never propagates.
  const std::string silent = "127.0.0.1:" + std::to_string(harness::FreeLoopbackUdpTcpPort());
  StartHub(named_->Address(), {named_->Address(), silent});
  AddShopWithWildcard();
  ASSERT_TRUE(harness::WaitFor([&] { return TxtServed() > 0; }, kIssueTimeout, 20ms))
      << "the hub never added its first record";
  KillHub();
  ASSERT_EQ(TxtServed(), 1u);

  StartHub(named_->Address(), {named_->Address()});
  WaitForStatus("valid");
  EXPECT_EQ(TxtServed(), 0u) << "a TXT record was left in the provider's zone";
}

}  // namespace
}  // namespace certfleet
