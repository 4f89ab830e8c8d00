// ECDSA signature format conversion (jws.h): DER ECDSA-Sig-Value (RFC 3279 §2.2.3),
// as OpenSSL produces it, <-> the raw r‖s that JWS uses (RFC 7518 §3.4).
//
// The DER side is parsed by hand, strictly: it is a tiny fixed structure and a strict
// parser gives precise errors and never reads out of bounds.
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/jws.h"

namespace certfleet::crypto {
namespace {

constexpr uint8_t kSequenceTag = 0x30;
constexpr uint8_t kIntegerTag = 0x02;
constexpr size_t kMaxRawSize = 2 * 66;  // r||s of the largest curve (P-521)

Error Malformed(std::string_view why) {
  return Error{ErrorCode::kInvalidArgument, "malformed DER ECDSA signature: " + std::string(why)};
}

uint8_t Byte(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

// Reads a DER length at `pos` (short or long form, minimal), advancing `pos`.
Result<size_t> ReadLength(std::string_view der, size_t& pos) {
  if (pos >= der.size()) return Fail(Malformed("truncated length"));
  const uint8_t first = Byte(der, pos++);
  if (first < 0x80) return size_t{first};
  const size_t count = first & 0x7FU;
  if (count == 0 || count > 2) return Fail(Malformed("unsupported length encoding"));
  if (der.size() - pos < count) return Fail(Malformed("truncated length"));
  size_t length = 0;
  for (size_t i = 0; i < count; ++i) length = (length << 8) | Byte(der, pos++);
  if (length < 0x80 || (count == 2 && length < 0x100)) {
    return Fail(Malformed("non-minimal length"));
  }
  return length;
}

// Reads one INTEGER and returns its magnitude without sign padding.
Result<std::string_view> ReadPositiveInteger(std::string_view der, size_t& pos,
                                             std::string_view name) {
  if (pos >= der.size() || Byte(der, pos) != kIntegerTag) {
    return Fail(Malformed(std::string(name) + " is not an INTEGER"));
  }
  ++pos;
  auto length = ReadLength(der, pos);
  if (!length) return Fail(length.error());
  if (*length == 0 || der.size() - pos < *length) {
    return Fail(Malformed(std::string(name) + " is empty or truncated"));
  }
  std::string_view value = der.substr(pos, *length);
  pos += *length;
  if ((Byte(value, 0) & 0x80) != 0) return Fail(Malformed(std::string(name) + " is negative"));
  if (value.size() > 1 && Byte(value, 0) == 0) {
    if ((Byte(value, 1) & 0x80) == 0) {
      return Fail(Malformed(std::string(name) + " has a non-minimal encoding"));
    }
    value.remove_prefix(1);  // the 0x00 that keeps a high-bit value positive
  }
  return value;
}

// Appends tag, DER length and `content` to `out`. (Built with append: GCC 12's
// -Wrestrict misfires on chained operator+ of short strings at -O3.)
void AppendTlv(std::string& out, uint8_t tag, std::string_view content) {
  const size_t length = content.size();
  out.push_back(static_cast<char>(tag));
  if (length >= 0x100) {
    out.push_back('\x82');
    out.push_back(static_cast<char>(length >> 8));
  } else if (length >= 0x80) {
    out.push_back('\x81');
  }
  out.push_back(static_cast<char>(length & 0xff));
  out.append(content);
}

void AppendInteger(std::string& out, std::string_view magnitude) {
  while (magnitude.size() > 1 && Byte(magnitude, 0) == 0) magnitude.remove_prefix(1);
  std::string content;
  if ((Byte(magnitude, 0) & 0x80) != 0) content.push_back('\0');
  content.append(magnitude);
  AppendTlv(out, kIntegerTag, content);
}

}  // namespace

Result<std::string> EcdsaDerToRaw(std::string_view der, size_t component_size) {
  size_t pos = 0;
  if (der.empty() || Byte(der, pos++) != kSequenceTag) return Fail(Malformed("not a SEQUENCE"));
  auto length = ReadLength(der, pos);
  if (!length) return Fail(length.error());
  if (der.size() - pos != *length) {
    return Fail(Malformed(der.size() - pos < *length ? "truncated SEQUENCE"
                                                     : "trailing bytes after the SEQUENCE"));
  }
  std::string raw;
  raw.reserve(2 * component_size);
  for (std::string_view name : {"r", "s"}) {
    auto value = ReadPositiveInteger(der, pos, name);
    if (!value) return Fail(value.error());
    if (value->size() > component_size) {
      return Fail(Malformed(std::string(name) + " is " + std::to_string(value->size()) +
                            " bytes, more than " + std::to_string(component_size)));
    }
    raw.append(component_size - value->size(), '\0');
    raw.append(*value);
  }
  if (pos != der.size()) return Fail(Malformed("trailing bytes inside the SEQUENCE"));
  return raw;
}

Result<std::string> EcdsaRawToDer(std::string_view raw) {
  if (raw.empty() || raw.size() % 2 != 0 || raw.size() > kMaxRawSize) {
    return Fail(ErrorCode::kInvalidArgument,
                "raw ECDSA signature must be r||s of equal halves, got " +
                    std::to_string(raw.size()) + " bytes");
  }
  const size_t half = raw.size() / 2;
  std::string content;
  AppendInteger(content, raw.substr(0, half));
  AppendInteger(content, raw.substr(half));
  std::string der;
  AppendTlv(der, kSequenceTag, content);
  return der;
}

}  // namespace certfleet::crypto
