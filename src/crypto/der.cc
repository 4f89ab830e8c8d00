#include "crypto/der.h"

#include <openssl/objects.h>

#include "crypto/openssl_ptr.h"

namespace certfleet::crypto::der {

std::string Tlv(uint8_t tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  const size_t length = content.size();
  if (length < 0x80) {
    out += static_cast<char>(length);
  } else {
    std::string bytes;
    for (size_t rest = length; rest != 0; rest >>= 8) {
      bytes.insert(bytes.begin(), static_cast<char>(rest & 0xff));
    }
    out += static_cast<char>(0x80 | bytes.size());
    out += bytes;
  }
  out += content;
  return out;
}

std::string Constructed(uint8_t tag, std::initializer_list<std::string_view> parts) {
  std::string content;
  for (std::string_view part : parts) content += part;
  return Tlv(tag, content);
}

std::string UnsignedInteger(std::string_view magnitude) {
  while (!magnitude.empty() && magnitude.front() == '\0') magnitude.remove_prefix(1);
  std::string content;
  if (magnitude.empty() || (static_cast<uint8_t>(magnitude.front()) & 0x80) != 0) content += '\0';
  content += magnitude;
  return Tlv(kInteger, content);
}

std::string SmallInteger(uint8_t value) {
  return UnsignedInteger(std::string_view(reinterpret_cast<const char*>(&value), 1));
}

std::string BitString(std::string_view bytes) {
  std::string content(1, '\0');  // unused bits in the last byte
  content += bytes;
  return Tlv(kBitString, content);
}

std::string Null() { return std::string("\x05\x00", 2); }

std::string Object(int nid) { return ToDerString(OBJ_nid2obj(nid), i2d_ASN1_OBJECT); }

}  // namespace certfleet::crypto::der
