#include "crypto/csr.h"

#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/testing/test_ca.h"

namespace certfleet::crypto {
namespace {

struct ReqDeleter {
  void operator()(X509_REQ* req) const { X509_REQ_free(req); }
};
using ReqPtr = std::unique_ptr<X509_REQ, ReqDeleter>;

ReqPtr ParseCsr(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return ReqPtr(d2i_X509_REQ(nullptr, &p, static_cast<long>(der.size())));
}

std::vector<std::string> SanDnsNames(X509_REQ* req) {
  std::vector<std::string> names;
  STACK_OF(X509_EXTENSION)* extensions = X509_REQ_get_extensions(req);
  auto* sans = static_cast<GENERAL_NAMES*>(
      X509V3_get_d2i(extensions, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
    if (name->type != GEN_DNS) continue;
    names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                       static_cast<size_t>(ASN1_STRING_length(name->d.dNSName)));
  }
  GENERAL_NAMES_free(sans);
  sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
  return names;
}

std::string CommonName(X509_REQ* req) {
  X509_NAME* subject = X509_REQ_get_subject_name(req);
  const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return "";
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                     static_cast<size_t>(ASN1_STRING_length(data)));
}

constexpr KeyType kAllTypes[] = {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048,
                                 KeyType::kRsa3072, KeyType::kRsa4096};

TEST(CsrTest, CarriesEveryNameAsSanAndFirstAsCn) {
  for (KeyType type : kAllTypes) {
    const PrivateKey* key = &testing::CachedTestKey(type);
    const std::vector<std::string> names = {"www.example.com", "example.com", "a.example.com"};
    auto der = CreateCsrDer(*key, names);
    ASSERT_TRUE(der.has_value()) << der.error().message;
    ReqPtr req = ParseCsr(*der);
    ASSERT_TRUE(req) << "CSR DER does not parse";
    EXPECT_EQ(SanDnsNames(req.get()), names);
    EXPECT_EQ(CommonName(req.get()), "www.example.com");
    EXPECT_EQ(X509_REQ_verify(req.get(), key->get()), 1) << "CSR is not signed by the key";
    EVP_PKEY* request_key = X509_REQ_get0_pubkey(req.get());
    EXPECT_EQ(EVP_PKEY_eq(request_key, key->get()), 1) << "CSR carries another public key";
  }
}

TEST(CsrTest, IsStrictDerSignedWithSha256) {
  for (KeyType type : kAllTypes) {
    const PrivateKey& key = testing::CachedTestKey(type);
    auto der = CreateCsrDer(key, {"example.com", "www.example.com"});
    ASSERT_TRUE(der.has_value()) << der.error().message;
    ReqPtr req = ParseCsr(*der);
    ASSERT_TRUE(req) << KeyTypeName(type) << ": CSR DER does not parse";
    EXPECT_EQ(X509_REQ_get_version(req.get()), X509_REQ_VERSION_1);
    EXPECT_EQ(X509_REQ_get_signature_nid(req.get()),
              key.IsEc() ? NID_ecdsa_with_SHA256 : NID_sha256WithRSAEncryption)
        << KeyTypeName(type);
    // OpenSSL re-encodes what it parsed; any non-canonical DER would come back different.
    unsigned char* reencoded = nullptr;
    const int size = i2d_re_X509_REQ_tbs(req.get(), nullptr);
    ASSERT_GT(size, 0);
    const int full = i2d_X509_REQ(req.get(), &reencoded);
    ASSERT_GT(full, 0);
    EXPECT_EQ(std::string(reinterpret_cast<char*>(reencoded), static_cast<size_t>(full)), *der)
        << KeyTypeName(type) << ": the CSR is not canonical DER";
    OPENSSL_free(reencoded);
  }
}

TEST(CsrTest, ManyLongNamesUseLongFormLengths) {
  std::vector<std::string> names;
  for (int i = 0; i < 100; ++i) names.push_back("name-" + std::to_string(i) + ".example.com");
  const PrivateKey& key = testing::CachedTestKey(KeyType::kEcP256);
  auto der = CreateCsrDer(key, names);
  ASSERT_TRUE(der.has_value()) << der.error().message;
  ReqPtr req = ParseCsr(*der);
  ASSERT_TRUE(req) << "CSR DER with 100 names does not parse";
  EXPECT_EQ(SanDnsNames(req.get()), names);
  EXPECT_EQ(X509_REQ_verify(req.get(), key.get()), 1);
}

TEST(CsrTest, LongFirstNameIsLeftOutOfTheSubject) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  const std::string long_name = std::string(60, 'a') + ".example.com";
  auto der = CreateCsrDer(*key, {long_name});
  ASSERT_TRUE(der.has_value()) << der.error().message;
  ReqPtr req = ParseCsr(*der);
  ASSERT_TRUE(req);
  EXPECT_EQ(CommonName(req.get()), "");
  EXPECT_EQ(SanDnsNames(req.get()), std::vector<std::string>{long_name});
}

TEST(CsrTest, RejectsNoNames) {
  auto key = PrivateKey::Generate(KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  auto der = CreateCsrDer(*key, {});
  ASSERT_FALSE(der.has_value());
  EXPECT_EQ(der.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace certfleet::crypto
