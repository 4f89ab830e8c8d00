// Byte encodings used on the wire: base64url without padding (RFC 7515 §2, JOSE and
// ACME), standard base64 (PEM bodies), and lower-case hex (fingerprints, serials).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace certfleet {

std::string Base64UrlEncode(std::string_view bytes);
// Accepts input with or without '=' padding; nullopt if any character is outside the alphabet.
std::optional<std::string> Base64UrlDecode(std::string_view text);

std::string Base64Encode(std::string_view bytes);
// Ignores ASCII whitespace (PEM line breaks); nullopt on any other invalid character.
std::optional<std::string> Base64Decode(std::string_view text);

std::string HexEncode(std::string_view bytes);
// Accepts upper or lower case; nullopt on odd length or a non-hex character.
std::optional<std::string> HexDecode(std::string_view text);

}  // namespace certfleet
