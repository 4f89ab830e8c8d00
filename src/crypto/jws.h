// JSON Web Signature (RFC 7515) in the flattened JSON serialization ACME requires
// (RFC 8555 §6.2): {"protected": b64url(header), "payload": b64url(payload), "signature": ...}.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::crypto {

// "ES256" (P-256), "ES384" (P-384), "RS256" (any RSA size).
std::string_view JwsAlgorithm(KeyType type);

// Signs `data` as JWS requires: ECDSA signatures are the raw r‖s concatenation
// (32 bytes each for P-256, 48 for P-384), RSA is PKCS#1 v1.5 with SHA-256.
Result<std::string> SignRaw(const PrivateKey& key, std::string_view data);

// Converts a DER ECDSA-Sig-Value to r‖s, each left-padded to `component_size` bytes.
// Errors on malformed DER or a component larger than component_size.
Result<std::string> EcdsaDerToRaw(std::string_view der, size_t component_size);
// Inverse: r‖s (even length) to DER.
Result<std::string> EcdsaRawToDer(std::string_view raw);

// Builds the flattened JWS. `protected_header` must already hold "alg" plus "jwk" or
// "kid", "nonce" and "url" as the caller needs; payload "" gives POST-as-GET.
Result<nlohmann::json> SignJws(const PrivateKey& key, const nlohmann::json& protected_header,
                               std::string_view payload);

// HS256 JWS for External Account Binding (RFC 8555 §7.3.4); `mac_key` is raw bytes.
nlohmann::json SignJwsHmac(std::string_view mac_key, const nlohmann::json& protected_header,
                           std::string_view payload);

// Verifies a flattened JWS with the public half of `key`; returns the decoded payload.
// Used by tests (a fake CA) and to check our own signatures.
Result<std::string> VerifyJws(const PrivateKey& key, const nlohmann::json& jws);

}  // namespace certfleet::crypto
