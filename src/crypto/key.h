// PrivateKey: an owned OpenSSL 3 EVP_PKEY of one of the key types certfleet issues.
//
// Value type (cheap to copy: the EVP_PKEY is reference-counted); immutable after
// construction, so safe to share between threads. Never log or print ToPem().
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace certfleet::crypto {

enum class KeyType { kEcP256, kEcP384, kRsa2048, kRsa3072, kRsa4096 };

// "ec-p256", "ec-p384", "rsa-2048", "rsa-3072", "rsa-4096".
std::string_view KeyTypeName(KeyType type);
// Inverse of KeyTypeName; the error lists the accepted names.
Result<KeyType> ParseKeyType(std::string_view name);

class PrivateKey {
 public:
  static Result<PrivateKey> Generate(KeyType type);
  // Accepts PKCS#8 and traditional ("EC PRIVATE KEY", "RSA PRIVATE KEY") PEM, unencrypted.
  // Rejects keys of a type or size not in KeyType with an error naming what was found.
  static Result<PrivateKey> FromPem(std::string_view pem);

  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  std::string ToPem() const;
  // SubjectPublicKeyInfo PEM of the public half.
  std::string PublicKeyPem() const;
  KeyType type() const { return type_; }
  bool IsEc() const { return type_ == KeyType::kEcP256 || type_ == KeyType::kEcP384; }
  evp_pkey_st* get() const { return pkey_.get(); }

  // Wraps an EVP_PKEY the caller owns one reference of (taken over). For crypto/ internals.
  static Result<PrivateKey> Adopt(evp_pkey_st* pkey);

 private:
  PrivateKey(std::shared_ptr<evp_pkey_st> pkey, KeyType type)
      : pkey_(std::move(pkey)), type_(type) {}
  std::shared_ptr<evp_pkey_st> pkey_;
  KeyType type_;
};

}  // namespace certfleet::crypto
