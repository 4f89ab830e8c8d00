// Digests and MACs over byte strings (std::string holds raw bytes).
#pragma once

#include <string>
#include <string_view>

namespace certfleet::crypto {

std::string Sha256(std::string_view data);                            // 32 raw bytes
std::string HmacSha256(std::string_view key, std::string_view data);  // 32 raw bytes
// Cryptographically secure random bytes (RAND_bytes); aborts only if the OS RNG is broken.
std::string RandomBytes(size_t count);
// Constant-time comparison, for tokens and MACs.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

}  // namespace certfleet::crypto
