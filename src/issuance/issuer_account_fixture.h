// What the IssuerAccount tests share (issuer_account_test, issuer_account_book_test): a fake
// CA that registers accounts, and a session with it.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>

#include "acme/session.h"
#include "common/clock.h"
#include "crypto/envelope.h"
#include "crypto/hash.h"
#include "issuance/issuer_config.h"
#include "net/testing/fake_transport.h"

namespace certfleet::issuance {

inline constexpr const char* kAccountCaDirectory = "https://ca.test/dir";

// A CA that answers the directory, nonces and newAccount. Every registration is counted and
// gets the next account URL (https://ca.test/acct/1, /acct/2, ...).
class AccountCa {
 public:
  AccountCa() {
    transport_.SetHandler([this](const net::HttpRequest& request) { return Handle(request); });
  }
  net::FakeTransport& transport() { return transport_; }
  int new_account_requests() const { return new_accounts_; }

 private:
  Result<net::HttpResponse> Handle(const net::HttpRequest& request) {
    net::HttpResponse response{200, {}, ""};
    response.headers.Add("Replay-Nonce", "nonce" + std::to_string(++nonces_));
    if (request.url.ends_with("/dir")) {
      response.body = R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct",)"
                      R"("newOrder":"https://ca.test/order"})";
    } else if (request.url.ends_with("/acct")) {
      response.status = 201;
      response.headers.Add("Location", "https://ca.test/acct/" + std::to_string(++new_accounts_));
      response.body = R"({"status":"valid"})";
    }
    response.headers.Add("Content-Type", "application/json");
    return response;
  }

  net::FakeTransport transport_;
  std::atomic<int> nonces_ = 0;
  std::atomic<int> new_accounts_ = 0;
};

class IssuerAccountFixture : public ::testing::Test {
 protected:
  std::unique_ptr<acme::Session> OpenSession() {
    auto session = acme::Session::Open(ca_.transport(), clock_, kAccountCaDirectory);
    EXPECT_TRUE(session) << session.error().message;
    return std::move(*session);
  }
  // Issuer "test-ca" at the AccountCa.
  static IssuerConfig Config() { return {.name = "test-ca", .directory_url = kAccountCaDirectory}; }

  FakeClock clock_;
  AccountCa ca_;
  crypto::Envelope envelope_ = crypto::Envelope::Create(crypto::RandomBytes(32)).value();
};

}  // namespace certfleet::issuance
