// certfleet-hub issuing by DNS-01 through RFC 2136 + TSIG (issue 15), all real processes:
// BIND (the provider's authoritative server for example.test, updated with TSIG, and the
// resolver Pebble asks), Pebble (validating DNS-01 through BIND, and HTTP-01 against the
// hub's own port) and the hub, configured only through its config file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/named_server.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// Debug + ASan on shared cores; the happy path takes a few seconds.
constexpr auto kIssueTimeout = 90s;

class HubDns01Test : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = harness::NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
    hub_port_ = harness::FreeLoopbackPort();
    // HTTP-01 requests go straight to the hub's own responder (mixed orders).
    auto pebble =
        harness::PebbleServer::Start({.http_port = hub_port_, .dns_server = named_->Address()});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = std::move(*pebble);
  }

  void TearDown() override {
    if (HasFailure() && hub_) {
      std::ifstream log(dir_.path() / "hub.log");
      std::cout << "--- hub.log ---\n" << std::string(std::istreambuf_iterator<char>(log), {});
    }
  }

  // Starts the hub with issuer "pebble" allowed `challenges` and example.test answered by
  // RFC 2136 updates to BIND, signed with the secret in `secret_file`.
  void StartHub(const std::string& challenges, const std::string& secret_file) {
    const std::string named = named_->Address();
    std::ofstream(dir_.path() / "hub.toml")
        << "data_dir = \"" << (dir_.path() / "data").string() << "\"\n"
        << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
        << "[[issuer]]\nname = \"pebble\"\n"
        << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
        << "ca_file = \"" << pebble_->CaFile() << "\"\n"
        << "challenges = " << challenges << "\n\n"
        << "[dns01]\nresolver = \"" << named << "\"\n\n"
        << "[[dns01.zone]]\nzone = \"example.test\"\nsolver = \"rfc2136\"\n"
        << "server = \"" << named << "\"\nkey_name = \"" << named_->key_name() << "\"\n"
        << "secret_file = \"" << secret_file << "\"\n"
        << "check_servers = [\"" << named << "\"]\n"
        << "ttl = 5\npropagation_timeout_seconds = 20\n";
    auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                         .config_file = dir_.path() / "hub.toml",
                                         .data_dir = dir_.path() / "data",
                                         .base_url = Base(),
                                         .log_file = dir_.path() / "hub.log"});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
  }

  std::string Base() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }

  harness::HttpResult Api(const std::string& method, const std::string& path,
                          const std::string& body = "") {
    return hub_->AdminApi(method, path, body);
  }

  // Saves shop.example.test with *.shop.example.test for issuer pebble.
  void AddShopWithWildcard() {
    auto r = Api("POST", "/api/v1/domains",
                 R"({"name":"shop.example.test","sans":["*.shop.example.test"],)"
                 R"("issuer":"pebble"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // Polls the domain until its status is `want` (or the timeout); returns the last view.
  json WaitForStatus(const std::string& want) {
    json view;
    const auto deadline = std::chrono::steady_clock::now() + kIssueTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = Api("GET", "/api/v1/domains/shop.example.test");
      if (r.status == 200) {
        view = json::parse(r.body);
        if (view.value("status", "") == want) return view;
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "the domain never became " << want << ": " << view.dump(2);
    return view;
  }

  std::vector<std::string> CertificateNames() {
    auto r = Api("GET", "/api/v1/domains/shop.example.test/certificates");
    EXPECT_EQ(r.status, 200) << r.body;
    json list = json::parse(r.body, nullptr, false);
    if (list.is_object()) list = list.value("items", json::array());
    if (!list.is_array() || list.empty()) return {};
    auto names = list[0].value("names", std::vector<std::string>{});
    std::sort(names.begin(), names.end());
    return names;
  }

  harness::TempDir dir_{"hub-dns01"};
  std::uint16_t hub_port_ = 0;
  std::unique_ptr<harness::NamedServer> named_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<harness::HubProcess> hub_;
};

TEST_F(HubDns01Test, IssuesApexAndWildcardByRfc2136AndRemovesTheRecords) {
  StartHub(R"(["dns-01"])", named_->KeyFile());
  AddShopWithWildcard();
  WaitForStatus("valid");
  EXPECT_EQ(CertificateNames(),
            (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));
  auto left = named_->Dig("_acme-challenge.shop.example.test", "TXT");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->empty()) << "the TXT records must be removed after the order";
}

TEST_F(HubDns01Test, AMixedOrderTakesHttp01ForTheApexAndDns01ForTheWildcard) {
  StartHub(R"(["http-01", "dns-01"])", named_->KeyFile());
  AddShopWithWildcard();
  WaitForStatus("valid");
  EXPECT_EQ(CertificateNames(),
            (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));
}

TEST_F(HubDns01Test, AWrongTsigSecretFailsTheDomainNamingTheKeyAndIssuesNothing) {
  const fs::path wrong = dir_.path() / "wrong.key";
  std::ofstream(wrong) << "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
  ::chmod(wrong.c_str(), 0600);
  StartHub(R"(["dns-01"])", wrong.string());
  AddShopWithWildcard();
  json view = WaitForStatus("failed");
  const std::string error = view.value("last_error", "");
  // The first authorization to fail is named (the apex's or the wildcard's: the CA's order).
  EXPECT_NE(error.find("shop.example.test: presenting the dns-01 challenge"), std::string::npos)
      << error;
  EXPECT_NE(error.find("BADSIG"), std::string::npos) << error;
  EXPECT_TRUE(CertificateNames().empty());
}

}  // namespace
}  // namespace certfleet
