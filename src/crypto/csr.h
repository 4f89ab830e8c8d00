// PKCS#10 certificate signing requests for ACME finalize (RFC 8555 §7.4).
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::crypto {

// DER CSR signed by `key` (SHA-256), with every name as a dNSName SAN and the first
// as the subject CN (when it fits the 64-character CN limit). `names` must be non-empty.
Result<std::string> CreateCsrDer(const PrivateKey& key, const std::vector<std::string>& names);

}  // namespace certfleet::crypto
