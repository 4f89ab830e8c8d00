// Internal to src/crypto: a strict, allocation-bounded PEM (RFC 7468) splitter for
// untrusted bundles, so certificate parsing never hands free-form text to OpenSSL.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::crypto {

struct PemBlock {
  std::string label;  // e.g. "CERTIFICATE"
  std::string der;    // decoded body
};

struct PemBundle {
  std::vector<PemBlock> blocks;
  bool other_text = false;  // non-whitespace text before, between or after the blocks
};

// Splits `text` into its PEM blocks, in order. Errors (kInvalidArgument) name the
// 1-based block number and what is wrong with it (no END line, bad base64, empty).
Result<PemBundle> DecodePemBlocks(std::string_view text);

// "-----BEGIN <label>-----\n" + base64 in 64-character lines + "-----END <label>-----\n".
std::string EncodePem(std::string_view label, std::string_view der);

}  // namespace certfleet::crypto
