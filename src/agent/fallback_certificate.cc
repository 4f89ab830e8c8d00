#include "agent/fallback_certificate.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <memory>

#include "crypto/key.h"
#include "crypto/x509.h"

namespace certfleet::agent {
namespace {

constexpr long kHour = 3600;
constexpr long kHundredYears = 100L * 365 * 24 * kHour;

Status FillCertificate(X509* x509, EVP_PKEY* key) {
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1)
    return Fail(ErrorCode::kInternal, "RAND_bytes failed");
  serial[0] &= 0x7f;  // a positive INTEGER
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr),
                                                 &BN_free);
  X509_NAME* name = X509_get_subject_name(x509);
  const bool ok = bn && X509_set_version(x509, 2) == 1 &&
                  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(x509)) != nullptr &&
                  X509_gmtime_adj(X509_getm_notBefore(x509), -kHour) != nullptr &&
                  X509_gmtime_adj(X509_getm_notAfter(x509), kHundredYears) != nullptr &&
                  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                             reinterpret_cast<const unsigned char*>(kFallbackName),
                                             -1, -1, 0) == 1 &&
                  X509_set_issuer_name(x509, name) == 1 && X509_set_pubkey(x509, key) == 1 &&
                  X509_sign(x509, key, EVP_sha256()) > 0;
  if (!ok) return Fail(ErrorCode::kInternal, "cannot build the fallback certificate");
  return Ok();
}

}  // namespace

Result<std::string> MakeFallbackBundle() {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  if (!key) return Fail(key.error());
  X509* x509 = X509_new();
  if (x509 == nullptr) return Fail(ErrorCode::kInternal, "X509_new failed");
  const crypto::Certificate cert = crypto::Certificate::Adopt(x509);
  if (auto s = FillCertificate(x509, key->get()); !s) return Fail(s.error());
  return cert.ToPem() + key->ToPem();
}

}  // namespace certfleet::agent
