// AES-256-GCM envelope for secrets at rest (private keys in the store).
//
// Sealed format: "cfv1" ‖ 12-byte random nonce ‖ ciphertext ‖ 16-byte tag. The
// associated data (e.g. the domain name and certificate id) binds a sealed key to its
// row, so a key copied onto another row fails to open.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "crypto/secret.h"

namespace certfleet::crypto {

class Envelope {
 public:
  // `key` must be exactly 32 raw bytes.
  static Result<Envelope> Create(std::string_view key);

  std::string Seal(std::string_view plaintext, std::string_view associated_data) const;
  // kCorrupt if the blob is malformed, was tampered with, or belongs to other
  // associated data or another master key. The plaintext is a Secret: wiped when dropped
  // (and a plaintext that failed authentication is wiped before the error returns).
  Result<Secret> Open(std::string_view sealed, std::string_view associated_data) const;
  // Lower-case hex HMAC-SHA256(key, "certfleet master key fingerprint v1"): names the key
  // (hubs sharing one database must hold the same one) without revealing it.
  std::string Fingerprint() const;
  // 32 bytes HMAC-SHA256(key, "certfleet derived key v1: " + purpose): a key for another
  // use (e.g. the web UI's sign-in form MACs) that every hub holding this master key
  // derives alike, without revealing the master key.
  std::string DeriveKey(std::string_view purpose) const;

 private:
  explicit Envelope(std::string key) : key_(std::move(key)) {}
  Secret key_;  // wiped when the last copy of the envelope goes
};

}  // namespace certfleet::crypto
