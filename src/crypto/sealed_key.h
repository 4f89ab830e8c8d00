// Sealed private keys: how certfleet keeps a private key at rest (DESIGN.md security
// model) — AES-256-GCM under the hub's master key (crypto/envelope.h), bound by the
// associated data to the place it belongs, so a sealed key copied onto another row or
// order fails to open (kCorrupt).
//
// Two places, two bindings:
// - the new key of a running order, kept in the order's saved state (base64url text,
//   SealKey/OpenKey with OrderKeyAssociatedData);
// - a stored certificate's key (store::CertificateVersion::encrypted_key, raw bytes),
//   bound to the domain and the leaf's SHA-256 fingerprint (SealCertificateKey /
//   OpenCertificateKey). Whoever stores or serves a certificate key uses these: the
//   issuance engine, manual uploads, the agent API.
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
Result<std::string> OpenCertificateKey(const Envelope& envelope, std::string_view sealed,
                                       std::string_view domain, std::string_view leaf_sha256);

}  // namespace certfleet::crypto
