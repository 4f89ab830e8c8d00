// Sealed private keys: how certfleet keeps a private key at rest (DESIGN.md security
// model) — AES-256-GCM under the hub's master key (crypto/envelope.h), bound by the
// associated data to the place it belongs, so a sealed key copied onto another row or
// order fails to open (kCorrupt).
//
// Three places, three bindings:
// - the new key of a running order, kept in the order's saved state (base64url text,
//   SealKey/OpenKey with OrderKeyAssociatedData);
// - a stored certificate's key (store::CertificateVersion::encrypted_key, raw bytes),
//   bound to the domain and the leaf's SHA-256 fingerprint (SealCertificateKey /
//   OpenCertificateKey). Whoever stores or serves a certificate key uses these: the
//   issuance engine, manual uploads, the agent API;
// - the hub's ACME account key at one CA (store::AcmeAccount::sealed_key, raw bytes),
//   bound to the CA's directory URL (SealAccountKey / OpenAccountKey): every hub on the
//   database signs with it (issuance/issuer_account.h).
// Every hub that shares a database must hold the same master key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "crypto/envelope.h"
#include "crypto/key.h"

namespace certfleet::crypto {

// The new key while its order runs: bound to the domain and the order id.
std::string OrderKeyAssociatedData(std::string_view domain, std::int64_t order_id);
// A stored certificate's key: bound to the domain and the leaf's SHA-256 fingerprint
// (lower-case hex).
std::string CertificateKeyAssociatedData(std::string_view domain, std::string_view leaf_sha256);

// The ACME account key at the CA whose directory is `directory_url`.
std::string AccountKeyAssociatedData(std::string_view directory_url);

// Seals `key` as base64url text (an order's saved state), and opens it again: kCorrupt
// when the text is not base64url, was tampered with, or belongs elsewhere.
std::string SealKey(const Envelope& envelope, const PrivateKey& key,
                    std::string_view associated_data);
Result<PrivateKey> OpenKey(const Envelope& envelope, std::string_view sealed_base64url,
                           std::string_view associated_data);

// A certificate's key as stored in CertificateVersion::encrypted_key (sealed PKCS#8 PEM),
// and back to the PEM; kCorrupt as Envelope::Open.
std::string SealCertificateKey(const Envelope& envelope, std::string_view key_pem,
                               std::string_view domain, std::string_view leaf_sha256);
Result<Secret> OpenCertificateKey(const Envelope& envelope, std::string_view sealed,
                                  std::string_view domain, std::string_view leaf_sha256);

// An ACME account key as stored in store::AcmeAccount::sealed_key (sealed PKCS#8 PEM), and
// back to the key; kCorrupt when it was tampered with, belongs to another directory URL or
// was sealed under another master key.
std::string SealAccountKey(const Envelope& envelope, const PrivateKey& key,
                           std::string_view directory_url);
Result<PrivateKey> OpenAccountKey(const Envelope& envelope, std::string_view sealed,
                                  std::string_view directory_url);

}  // namespace certfleet::crypto
