#include "hub_dns01_fixture.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>

#include "harness/net.h"

namespace certfleet::hubdns01 {

using nlohmann::json;
using namespace std::chrono_literals;

void HubDns01Fixture::StartDnsAndCa(std::vector<harness::NamedForward> forwards) {
  auto named = harness::NamedServer::Start(
      {.zones = {{"example.test", "shop A 127.0.0.1\n"}}, .forwards = std::move(forwards)});
  ASSERT_TRUE(named) << named.error().message;
  named_ = std::move(*named);
  hub_port_ = harness::FreeLoopbackPort();
  // HTTP-01 requests go straight to the hub's own responder (mixed orders).
  auto pebble =
      harness::PebbleServer::Start({.http_port = hub_port_, .dns_server = named_->Address()});
  ASSERT_TRUE(pebble) << pebble.error().message;
  pebble_ = std::move(*pebble);
}

void HubDns01Fixture::TearDown() {
  // Also after a test killed the hub: the log says how far it got.
  const std::filesystem::path log_file = dir_.path() / "hub.log";
  if (HasFailure() && std::filesystem::exists(log_file)) {
    std::ifstream log(log_file);
    std::cout << "--- hub.log ---\n" << std::string(std::istreambuf_iterator<char>(log), {});
  }
}

void HubDns01Fixture::StartHub(const std::string& challenges, const std::string& dns01_rest) {
  std::ofstream(dir_.path() / "hub.toml")
      << "data_dir = \"" << (dir_.path() / "data").string() << "\"\n"
      << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
      << "[[issuer]]\nname = \"pebble\"\n"
      << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
      << "ca_file = \"" << pebble_->CaFile() << "\"\n"
      << "challenges = " << challenges << "\n\n"
      << "[dns01]\nresolver = \"" << named_->Address() << "\"\n\n"
      << dns01_rest;
  auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                       .config_file = dir_.path() / "hub.toml",
                                       .data_dir = dir_.path() / "data",
                                       .base_url = Base(),
                                       .log_file = dir_.path() / "hub.log"});
  ASSERT_TRUE(hub) << hub.error().message;
  hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
}

std::string HubDns01Fixture::Rfc2136Zone(const std::string& update_server,
                                         const std::string& secret_file,
                                         const std::vector<std::string>& check_servers,
                                         int propagation_timeout_seconds) const {
  std::string checks;
  for (const std::string& s : check_servers) checks += (checks.empty() ? "\"" : ", \"") + s + "\"";
  std::ostringstream zone;
  zone << "[[dns01.zone]]\nzone = \"example.test\"\nsolver = \"rfc2136\"\n"
       << "server = \"" << update_server << "\"\nkey_name = \"" << named_->key_name() << "\"\n"
       << "secret_file = \"" << secret_file << "\"\n"
       << "check_servers = [" << checks << "]\n"
       << "ttl = 5\npropagation_timeout_seconds = " << propagation_timeout_seconds << "\n";
  return zone.str();
}

std::string HubDns01Fixture::Base() const {
  return "http://127.0.0.1:" + std::to_string(hub_port_);
}

harness::HttpResult HubDns01Fixture::Api(const std::string& method, const std::string& path,
                                         const std::string& body) {
  return hub_->AdminApi(method, path, body);
}

void HubDns01Fixture::AddShopWithWildcard() {
  auto r = Api("POST", "/api/v1/domains",
               R"({"name":"shop.example.test","sans":["*.shop.example.test"],)"
               R"("issuer":"pebble"})");
  ASSERT_EQ(r.status, 201) << r.body;
}

json HubDns01Fixture::WaitFor(const std::string& what,
                              const std::function<bool(const json&)>& done) {
  json view;
  const auto deadline = std::chrono::steady_clock::now() + kIssueTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = Api("GET", "/api/v1/domains/shop.example.test");
    if (r.status == 200) {
      view = json::parse(r.body);
      if (done(view)) return view;
    }
    std::this_thread::sleep_for(100ms);
  }
  ADD_FAILURE() << "the domain never got " << what << ": " << view.dump(2);
  return view;
}

json HubDns01Fixture::WaitForStatus(const std::string& want) {
  return WaitFor("status " + want,
                 [&](const json& view) { return view.value("status", "") == want; });
}

std::vector<std::string> HubDns01Fixture::CertificateNames() {
  auto r = Api("GET", "/api/v1/domains/shop.example.test/certificates");
  EXPECT_EQ(r.status, 200) << r.body;
  json list = json::parse(r.body, nullptr, false);
  if (list.is_object()) list = list.value("items", json::array());
  if (!list.is_array() || list.empty()) return {};
  auto names = list[0].value("names", std::vector<std::string>{});
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace certfleet::hubdns01
