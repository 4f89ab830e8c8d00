// base64url (JWS, tokens, challenge tokens), base64 and hex decoders. Promises: decoding
// what the encoder wrote gives the bytes back; a decoded text re-encodes to a decodable one.
#include "common/encoding.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  if (certfleet::Base64UrlDecode(certfleet::Base64UrlEncode(text)) != std::string(text))
    certfleet::fuzz::Broken("base64url round trip");
  if (certfleet::Base64Decode(certfleet::Base64Encode(text)) != std::string(text))
    certfleet::fuzz::Broken("base64 round trip");
  if (certfleet::HexDecode(certfleet::HexEncode(text)) != std::string(text))
    certfleet::fuzz::Broken("hex round trip");
  (void)certfleet::Base64UrlDecode(text);
  (void)certfleet::Base64Decode(text);
  (void)certfleet::HexDecode(text);
  return 0;
}
