#include "crypto/x509.h"

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/encoding.h"
#include "crypto/hash.h"
#include "crypto/key.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::IssuedLeaf;
using testing::TestCa;

class CertificateTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ca_ = new TestCa(TestCa::Create(1).value()); }
  static void TearDownTestSuite() { delete ca_; }

  static TestCa* ca_;
  const TimePoint not_before_ = std::chrono::floor<seconds>(std::chrono::system_clock::now());
  const TimePoint not_after_ = not_before_ + hours(24 * 30);
};
TestCa* CertificateTest::ca_ = nullptr;

TEST_F(CertificateTest, ExposesSansValidityAndNames) {
  auto leaf = ca_->Issue({.dns_names = {"b.example.com", "a.example.com"},
                          .not_before = not_before_,
                          .not_after = not_after_});
  ASSERT_TRUE(leaf.has_value()) << leaf.error().message;
  const Certificate& cert = leaf->leaf;
  EXPECT_EQ(cert.DnsNames(), (std::vector<std::string>{"b.example.com", "a.example.com"}));
  EXPECT_EQ(cert.NotBefore(), not_before_);
  EXPECT_EQ(cert.NotAfter(), not_after_);
  EXPECT_EQ(cert.SubjectCommonName(), "b.example.com");
  EXPECT_EQ(cert.IssuerCommonName(), "certfleet Test Intermediate 1");
  EXPECT_FALSE(cert.IsSelfIssued());
  EXPECT_TRUE(ca_->root().IsSelfIssued());
}

TEST_F(CertificateTest, SerialMatchesOpenSsl) {
  auto leaf = ca_->Issue({.dns_names = {"serial.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(leaf->leaf.get()), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string expected = hex;
  OPENSSL_free(hex);
  BN_free(bn);
  for (char& c : expected) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string serial = leaf->leaf.SerialHex();
  // DER keeps a 0x00 before a high-bit first byte; BN_bn2hex pads to whole bytes.
  if (serial.size() > expected.size() && serial.rfind("00", 0) == 0) serial.erase(0, 2);
  EXPECT_EQ(serial, expected);
  EXPECT_EQ(HexEncode(leaf->leaf.SerialDer()), leaf->leaf.SerialHex());
}

TEST_F(CertificateTest, AuthorityKeyIdIsIssuerSubjectKeyId) {
  auto leaf = ca_->Issue({.dns_names = {"aki.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  const Certificate& intermediate = ca_->intermediates().back();
  EXPECT_EQ(leaf->leaf.AuthorityKeyId().size(), 20u);
  EXPECT_EQ(leaf->leaf.AuthorityKeyId(), intermediate.SubjectKeyId());
  EXPECT_EQ(intermediate.AuthorityKeyId(), ca_->root().SubjectKeyId());
}

TEST_F(CertificateTest, FingerprintIsSha256OfDer) {
  auto leaf = ca_->Issue({.dns_names = {"fp.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(leaf->leaf.Sha256Fingerprint(), HexEncode(Sha256(leaf->leaf.ToDer())));
  EXPECT_EQ(leaf->leaf.Sha256Fingerprint().size(), 64u);
}

TEST_F(CertificateTest, PemFingerprintWithoutParsingEqualsTheParsedOne) {
  auto leaf = ca_->Issue({.dns_names = {"pem-fp.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  const std::string pem = leaf->leaf.ToPem();
  auto sha256 = PemCertificateFingerprint("\n" + pem + "\n");
  ASSERT_TRUE(sha256) << sha256.error().message;
  EXPECT_EQ(*sha256, leaf->leaf.Sha256Fingerprint());
  EXPECT_FALSE(PemCertificateFingerprint(pem + pem)) << "two blocks are not one certificate";
  EXPECT_FALSE(PemCertificateFingerprint("garbage\n" + pem)) << "text around the block";
  auto key = PemCertificateFingerprint(testing::CachedTestKey(KeyType::kEcP256).ToPem());
  ASSERT_FALSE(key);
  EXPECT_NE(key.error().message.find("expected a CERTIFICATE PEM block"), std::string::npos)
      << key.error().message;
}

TEST_F(CertificateTest, MatchesItsOwnKeyOnly) {
  auto other = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(other.has_value());
  for (KeyType type : {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048}) {
    auto leaf = ca_->Issue({.dns_names = {"key.example.com"}, .key = testing::CachedTestKey(type)});
    ASSERT_TRUE(leaf.has_value()) << leaf.error().message;
    EXPECT_TRUE(leaf->leaf.MatchesKey(testing::CachedTestKey(type))) << KeyTypeName(type);
    EXPECT_FALSE(leaf->leaf.MatchesKey(*other)) << KeyTypeName(type);
  }
}

TEST_F(CertificateTest, PemAndDerRoundTrip) {
  auto leaf = ca_->Issue({.dns_names = {"pem.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  auto from_pem = Certificate::FromPem("\n  " + leaf->leaf_pem + "\n");
  ASSERT_TRUE(from_pem.has_value()) << from_pem.error().message;
  EXPECT_EQ(from_pem->ToDer(), leaf->leaf.ToDer());
  auto from_der = Certificate::FromDer(leaf->leaf.ToDer());
  ASSERT_TRUE(from_der.has_value()) << from_der.error().message;
  EXPECT_EQ(from_der->ToPem(), leaf->leaf_pem);
}

TEST_F(CertificateTest, FromPemRejectsBundlesKeysAndGarbage) {
  auto leaf = ca_->Issue({.dns_names = {"x.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  EXPECT_FALSE(Certificate::FromPem(leaf->chain_pem).has_value()) << "two blocks accepted";
  EXPECT_FALSE(Certificate::FromPem(leaf->key_pem).has_value()) << "a key accepted";
  EXPECT_FALSE(Certificate::FromPem("junk\n" + leaf->leaf_pem).has_value()) << "text accepted";
  EXPECT_FALSE(Certificate::FromPem("").has_value());
  EXPECT_FALSE(Certificate::FromDer("").has_value());
  EXPECT_FALSE(Certificate::FromDer(leaf->leaf.ToDer() + "x").has_value()) << "trailing bytes";
  const std::string der = leaf->leaf.ToDer();
  for (size_t size = 0; size < der.size(); size += 37) {
    EXPECT_FALSE(Certificate::FromDer(der.substr(0, size)).has_value()) << size;
  }
}

// RFC 5280 §4.1.2.5: 99991231235959Z means "no well-defined expiration". A TimePoint ends in
// 2262, so the year is clamped, not wrapped (x509_fuzz found the signed overflow); a
// notBefore before 1970 reads as the epoch, which keeps notAfter - notBefore representable.
TEST_F(CertificateTest, ValidityOutsideTimePointRangeIsClampedNotWrapped) {
  auto leaf = ca_->Issue({.dns_names = {"forever.example.com"}});
  ASSERT_TRUE(leaf.has_value());
  X509* x509 = X509_dup(leaf->leaf.get());
  ASSERT_NE(x509, nullptr);
  ASSERT_EQ(ASN1_TIME_set_string(X509_getm_notBefore(x509), "19500101000000Z"), 1);
  ASSERT_EQ(ASN1_TIME_set_string(X509_getm_notAfter(x509), "99991231235959Z"), 1);
  auto key = PrivateKey::FromPem(leaf->key_pem);  // re-signing also re-encodes the fields
  ASSERT_TRUE(key.has_value());
  ASSERT_GT(X509_sign(x509, key->get(), EVP_sha256()), 0);
  const Certificate cert = Certificate::Adopt(x509);
  const auto latest = std::chrono::sys_days(std::chrono::year(2261) / 12 / 31) + hours(23) +
                      std::chrono::minutes(59) + seconds(59);
  EXPECT_EQ(cert.NotAfter(), TimePoint(latest));
  EXPECT_EQ(cert.NotBefore(), TimePoint{});
  EXPECT_GT(cert.NotAfter() - cert.NotBefore(), std::chrono::nanoseconds::zero());
  auto again = Certificate::FromPem(cert.ToPem());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->NotAfter(), cert.NotAfter());
}

}  // namespace
}  // namespace certfleet::crypto
