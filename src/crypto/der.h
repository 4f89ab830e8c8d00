// Internal to src/crypto: a minimal DER (X.690) writer for the few fixed structures we
// emit ourselves (SubjectPublicKeyInfo, PKCS#8, PKCS#10). Building them directly skips
// OpenSSL 3's encoder/decoder search, which costs about a millisecond per call.
//
// Every function returns one complete TLV; inputs are trusted (our own keys and
// validated names), so there are no errors to report.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace certfleet::crypto::der {

constexpr uint8_t kInteger = 0x02;
constexpr uint8_t kBitString = 0x03;
constexpr uint8_t kOctetString = 0x04;
constexpr uint8_t kUtf8String = 0x0c;
constexpr uint8_t kSequence = 0x30;
constexpr uint8_t kSet = 0x31;

// tag, definite length, content.
std::string Tlv(uint8_t tag, std::string_view content);
// The concatenation of `parts` wrapped in `tag` (a SEQUENCE, SET or constructed tag).
std::string Constructed(uint8_t tag, std::initializer_list<std::string_view> parts);
inline std::string Sequence(std::initializer_list<std::string_view> parts) {
  return Constructed(kSequence, parts);
}
// INTEGER from a big-endian magnitude: leading zeros dropped, 0x00 added when the top
// bit is set (so the value stays positive); "" encodes 0.
std::string UnsignedInteger(std::string_view magnitude);
std::string SmallInteger(uint8_t value);
// BIT STRING with no unused bits.
std::string BitString(std::string_view bytes);
std::string Null();
// OBJECT IDENTIFIER of an OpenSSL NID (from OpenSSL's built-in table; no provider call).
std::string Object(int nid);

}  // namespace certfleet::crypto::der
