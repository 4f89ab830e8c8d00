#include "issuance/ari_refresh.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "crypto/testing/test_ca.h"
#include "issuance/one_domain_store_fixture.h"
#include "net/testing/fake_transport.h"

namespace certfleet::issuance {
namespace {

constexpr const char* kDirectoryUrl = "https://ca.test/dir";

std::string DirectoryJson(bool with_ari) {
  std::string json = R"({"newNonce":"https://ca.test/nonce","newAccount":"https://ca.test/acct",)"
                     R"("newOrder":"https://ca.test/order")";
  if (with_ari) json += R"(,"renewalInfo":"https://ca.test/renewal-info")";
  return json + "}";
}

class AriRefreshTest : public OneDomainStoreFixture {
 protected:
  AriRefreshTest() : OneDomainStoreFixture("ari", "ari.example.com") {}

  // The domain holds one certificate (cert_), from a test CA.
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OneDomainStoreFixture::SetUp());
    auto ca = crypto::testing::TestCa::Create();
    ASSERT_TRUE(ca);
    auto leaf = ca->Issue({.dns_names = {"ari.example.com"}});
    ASSERT_TRUE(leaf);
    store::CertificateVersion cert;
    cert.domain_id = domain_id_;
    cert.chain_pem = leaf->chain_pem;
    cert.encrypted_key = "sealed";
    cert.serial = leaf->leaf.SerialHex();
    cert.not_before = leaf->leaf.NotBefore();
    cert.not_after = leaf->leaf.NotAfter();
    cert.sha256 = leaf->leaf.Sha256Fingerprint();
    cert.names = {"ari.example.com"};
    auto added = store_->AddCertificate({"test"}, cert);
    ASSERT_TRUE(added) << added.error().message;
    cert_ = *added;
  }

  std::unique_ptr<acme::Session> OpenSession(bool with_ari) {
    transport_.EnqueueJson(200, DirectoryJson(with_ari));
    auto session = acme::Session::Open(transport_, clock_, kDirectoryUrl);
    EXPECT_TRUE(session) << session.error().message;
    return session ? std::move(*session) : nullptr;
  }

  net::FakeTransport transport_;
  store::CertificateVersion cert_;
};

TEST_F(AriRefreshTest, StoresTheSuggestedWindowAndRetryAfter) {
  auto session = OpenSession(true);
  ASSERT_TRUE(session);
  const TimePoint start = clock_.Now() + std::chrono::hours(24 * 60);
  const TimePoint end = start + std::chrono::hours(48);
  net::HttpHeaders headers;
  headers.Add("Retry-After", "21600");
  transport_.EnqueueJson(200,
                         R"({"suggestedWindow":{"start":")" + FormatRfc3339(start) +
                             R"(","end":")" + FormatRfc3339(end) + R"("}})",
                         headers);
  auto info = RefreshRenewalInfo(*session, *store_, cert_);
  ASSERT_TRUE(info) << info.error().message;
  ASSERT_TRUE(info->has_value()) << "a CA with renewalInfo must be asked";
  const auto requests = transport_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].url, "https://ca.test/renewal-info/" + AriCertificateIdOf(cert_).value());
  const auto stored = store_->GetCertificate(cert_.id).value();
  EXPECT_EQ(stored.ari_window_start, start);
  EXPECT_EQ(stored.ari_window_end, end);
  EXPECT_EQ(stored.ari_retry_after, clock_.Now() + std::chrono::hours(6))
      << "Retry-After says when to ask again";
}

TEST_F(AriRefreshTest, CaWithoutRenewalInfoIsNotAsked) {
  auto session = OpenSession(false);
  ASSERT_TRUE(session);
  auto info = RefreshRenewalInfo(*session, *store_, cert_);
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_FALSE(info->has_value());
  EXPECT_EQ(transport_.request_count(), 1u)
      << "only the directory may be fetched (Pebble 2.4 has no ARI)";
  EXPECT_FALSE(store_->GetCertificate(cert_.id).value().ari_window_start.has_value());
}

TEST_F(AriRefreshTest, MalformedAnswerIsAnErrorNamingTheCertificate) {
  auto session = OpenSession(true);
  ASSERT_TRUE(session);
  transport_.EnqueueJson(200, R"({"suggestedWindow":{"start":"yesterday"}})");
  auto info = RefreshRenewalInfo(*session, *store_, cert_);
  ASSERT_FALSE(info);
  EXPECT_NE(info.error().message.find("certificate " + cert_.serial), std::string::npos)
      << info.error().message;
  EXPECT_FALSE(store_->GetCertificate(cert_.id).value().ari_window_start.has_value())
      << "nothing half-stored";
}

}  // namespace
}  // namespace certfleet::issuance
