// FakeCa: a tiny in-memory ACME CA behind net::FakeTransport, for unit tests of code that
// drives whole orders (acme::Client, the issuance engine). Never use it outside tests.
//
//   acme::testing::FakeCa ca(account_key, certificate_key);
//   auto client = acme::Client::Open(ca.transport(), clock, ca.directory_url());
//
// It verifies every JWS against `account_key`, hands out http-01 challenges, validates
// instantly (an authorization is decided on the first poll after the response), issues
// with crypto::testing::TestCa for `certificate_key`, and offers one alternate chain
// whose top issuer CN is "Alternate Root". Knobs below inject faults. Like a real CA (RFC
// 8555 §7.1.6, §7.4) an order whose authorizations are all valid reads "ready", and
// finalizing an order that is not ready (already processing or valid) gives orderNotReady.
// Thread-safe (one mutex around all state).
#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "crypto/key.h"
#include "crypto/testing/test_ca.h"
#include "net/testing/fake_transport.h"

namespace certfleet::acme::testing {

class FakeCa {
 public:
  FakeCa(crypto::PrivateKey account_key, crypto::PrivateKey certificate_key);

  net::FakeTransport& transport() { return transport_; }
  std::string directory_url() const { return "https://ca.test/dir"; }
  // The top issuer CN of the default chain, and of the alternate one.
  std::string default_top_issuer() const;
  static constexpr const char* kAlternateTopIssuer = "Alternate Root";

  // Fault knobs (set before use).
  std::set<std::string> failing_names;   // their http-01 validation fails ("connection refused")
  std::set<std::string> rejected_names;  // newOrder refuses them (rejectedIdentifier, 400)
  std::set<std::string> preauthorized_names;  // their authorizations start valid (authz reuse),
                                              // so an order of only such names starts "ready"
  int reject_every_nth_nonce = 0;             // 0 = never; 2 = every second JWS gets badNonce
  std::string profiles_json = "";             // e.g. R"({"classic":"..."})" → meta.profiles
  int processing_polls = 0;     // authorization fetches that still see a responded challenge
                                // "processing" (Pebble validates asynchronously)
  int stale_pending_reads = 0;  // authorization fetches that decide a responded challenge
                                // but still show it "pending" (a read that raced the CA's
                                // validation), so that answering it again is refused
  bool refuse_challenge_answers = false;  // every challenge answer gets 400 malformed

  // What the CA saw.
  std::vector<nlohmann::json> new_order_payloads() const;
  size_t jws_count() const;

 private:
  Result<net::HttpResponse> Handle(const net::HttpRequest& request);
  Result<net::HttpResponse> HandleJws(const net::HttpRequest& request);
  net::HttpResponse Route(const std::string& path, const std::string& payload);
  net::HttpResponse HandleNewOrder(const std::string& payload);
  net::HttpResponse HandleAuthorization(const std::string& id);
  net::HttpResponse HandleChallenge(const std::string& id);
  net::HttpResponse HandleFinalize(const std::string& id);
  net::HttpResponse HandleOrderStatus(const std::string& id);
  net::HttpResponse HandleCertificate(const std::string& id, bool alternate);
  std::string NextNonce();

  net::FakeTransport transport_;
  crypto::PrivateKey account_key_;
  crypto::PrivateKey certificate_key_;
  crypto::testing::TestCa default_ca_;
  crypto::testing::TestCa alternate_ca_;

  mutable std::mutex mu_;
  int nonce_counter_ = 0;
  size_t jws_count_ = 0;
  std::set<std::string> issued_nonces_;
  std::vector<nlohmann::json> new_order_payloads_;
  std::vector<std::string> order_names_;            // order i → its names (one order per index)
  std::map<std::string, std::string> authz_state_;  // "o-i-j" → pending/processing/valid/invalid
  std::map<std::string, int> processing_left_;      // "o-i-j" → fetches before the decision
  std::map<std::string, std::string> order_state_;  // "i" → pending/processing/valid
  std::map<std::string, std::vector<std::string>> order_identifiers_;
};

}  // namespace certfleet::acme::testing
