// JSON Web Key (RFC 7517) of a public key, and its thumbprint (RFC 7638).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::crypto {

// {"crv","kty","x","y"} for EC, {"e","kty","n"} for RSA: only the required members.
nlohmann::json PublicJwk(const PrivateKey& key);

// base64url(SHA-256(canonical JSON of the required members in lexicographic order)).
// Works on any JWK object (e.g. the RFC 7638 §3.1 example); errors on a missing member
// or an unsupported "kty".
Result<std::string> JwkThumbprint(const nlohmann::json& jwk);
std::string JwkThumbprint(const PrivateKey& key);

}  // namespace certfleet::crypto
