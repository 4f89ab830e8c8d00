// The real processes behind the hub's DNS-01 tests (issue 15): BIND serving example.test
// (shop A 127.0.0.1) and answering as the resolver, Pebble validating through that BIND
// (and sending HTTP-01 requests straight to the hub's port), and a certfleet-hub configured
// only through its config file. The tests differ in how example.test is answered: RFC 2136
// to BIND (hub_dns01_test, hub_dns01_resume_test) or CNAME delegation to the hub's own DNS
// responder (hub_delegation_test); each writes that part of hub.toml itself.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/named_server.h"
#include "harness/pebble_server.h"
#include "harness/temp_dir.h"

namespace certfleet::hubdns01 {

// Debug + ASan on shared cores; the happy path takes a few seconds.
inline constexpr std::chrono::seconds kIssueTimeout{90};

class HubDns01Fixture : public ::testing::Test {
 protected:
  explicit HubDns01Fixture(std::string_view dir_prefix) : dir_(dir_prefix) {}

  // Starts BIND and Pebble; BIND sends the zones in `forwards` elsewhere. No hub yet.
  void StartDnsAndCa(std::vector<harness::NamedForward> forwards = {});
  // Prints hub.log when the test failed.
  void TearDown() override;

  // Writes hub.toml and (re)starts the hub on the same data dir: data dir, listen address,
  // issuer "pebble" allowed `challenges` (a TOML array), the [dns01] resolver, then
  // `dns01_rest` (the [[dns01.zone]] and any further sections) as it is.
  void StartHub(const std::string& challenges, const std::string& dns01_rest);
  // A [[dns01.zone]] for example.test answered by RFC 2136 updates to `update_server`,
  // signed with BIND's key name and the secret in `secret_file`, the record awaited on
  // `check_servers` for up to `propagation_timeout_seconds` (TTL 5).
  std::string Rfc2136Zone(const std::string& update_server, const std::string& secret_file,
                          const std::vector<std::string>& check_servers,
                          int propagation_timeout_seconds) const;

  std::string Base() const;  // http://127.0.0.1:<hub port>
  harness::HttpResult Api(const std::string& method, const std::string& path,
                          const std::string& body = "");

  // Saves shop.example.test with *.shop.example.test for issuer pebble.
  void AddShopWithWildcard();
  // Polls shop.example.test every 100 ms until `done(view)` (or kIssueTimeout, a failure
  // naming `what`); returns the last view.
  nlohmann::json WaitFor(const std::string& what,
                         const std::function<bool(const nlohmann::json&)>& done);
  // WaitFor the domain's status to be `want`.
  nlohmann::json WaitForStatus(const std::string& want);
  // The names of shop.example.test's newest certificate, sorted; empty when it has none.
  std::vector<std::string> CertificateNames();

  harness::TempDir dir_;
  std::uint16_t hub_port_ = 0;
  std::unique_ptr<harness::NamedServer> named_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<harness::HubProcess> hub_;
};

}  // namespace certfleet::hubdns01
