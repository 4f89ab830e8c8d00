// Secret: a string holding key material (a master key, a private key's PEM) that wipes
// its bytes with OPENSSL_cleanse when it is destroyed, assigned over or wiped (F18).
//
// Best effort, and honest about it: the bytes a Secret owns do not outlive it, so a core
// dump or a reused heap block no longer shows keys long after their use. Copies made
// outside (an HTTP response body that carries a key to its agent, OpenSSL's own buffers)
// are not covered. Short values stay in the string's inline buffer and are wiped there too.
#pragma once

#include <string>
#include <string_view>

namespace certfleet::crypto {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  Secret(const Secret& other) = default;
  Secret(Secret&& other) noexcept;
  Secret& operator=(const Secret& other);
  Secret& operator=(Secret&& other) noexcept;
  ~Secret();

  std::string_view view() const { return value_; }
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  size_t size() const { return value_.size(); }

  // Overwrites every byte with zeros, then empties the string (its buffer stays allocated,
  // zeroed, until the Secret is destroyed).
  void Wipe();

 private:
  std::string value_;
};

// Wipes a plain string in place (a buffer that held key material before it became a
// Secret, or one OpenSSL wrote into).
void WipeString(std::string& s);

}  // namespace certfleet::crypto
