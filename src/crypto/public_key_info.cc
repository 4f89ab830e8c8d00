#include "crypto/public_key_info.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>

#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {
namespace {

std::string CurveName(const EVP_PKEY* key) {
  char name[80] = {};
  size_t length = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name),
                                     &length) != 1) {
    ClearOpensslErrors();
    return "unknown";
  }
  const std::string curve(name, length);
  if (curve == "prime256v1" || curve == "P-256") return "p256";
  if (curve == "secp384r1" || curve == "P-384") return "p384";
  if (curve == "secp521r1" || curve == "P-521") return "p521";
  return curve;
}

}  // namespace

std::string PublicKeyTypeName(const Certificate& certificate) {
  const EVP_PKEY* key = X509_get0_pubkey(certificate.get());
  if (key == nullptr) {
    ClearOpensslErrors();
    return "unknown";
  }
  const std::string bits = std::to_string(EVP_PKEY_get_bits(key));
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return "rsa-" + bits;
    case EVP_PKEY_EC:
      return "ec-" + CurveName(key);
    case EVP_PKEY_ED25519:
      return "ed25519";
    case EVP_PKEY_ED448:
      return "ed448";
    case EVP_PKEY_DSA:
      return "dsa-" + bits;
    default:
      return "unknown";
  }
}

std::string IssuerDistinguishedName(const Certificate& certificate) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio) return {};
  const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;  // keep UTF-8 as is
  if (X509_NAME_print_ex(bio.get(), X509_get_issuer_name(certificate.get()), 0, flags) < 0) {
    ClearOpensslErrors();
    return {};
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

}  // namespace certfleet::crypto
