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

TEST(CsrTest, CarriesEveryNameAsSanAndFirstAsCn) {
  for (KeyType type : {KeyType::kEcP256, KeyType::kEcP384, KeyType::kRsa2048}) {
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
