// JWS / JWK (RFC 7515, 7517, 7638) and ECDSA signature encodings: crypto::VerifyJws on any
// JSON (with a fixed P-256 key), JwkThumbprint on any JSON, EcdsaDerToRaw / EcdsaRawToDer
// on any bytes.
#include <nlohmann/json.hpp>

#include "crypto/jwk.h"
#include "crypto/jws.h"
#include "crypto/key.h"
#include "fuzz_input.h"
#include "openssl_queue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto key =
      certfleet::crypto::PrivateKey::Generate(certfleet::crypto::KeyType::kEcP256).value();
  const std::string_view text = certfleet::fuzz::Text(data, size);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_discarded()) {
    (void)certfleet::crypto::VerifyJws(key, json);
    (void)certfleet::crypto::JwkThumbprint(json);
  }
  if (auto raw = certfleet::crypto::EcdsaDerToRaw(text, 32)) {
    auto der = certfleet::crypto::EcdsaRawToDer(*raw);
    if (!der) certfleet::fuzz::Broken("r||s from DER does not convert back to DER");
  }
  (void)certfleet::crypto::EcdsaRawToDer(text);
  certfleet::fuzz::ExpectEmptyOpensslErrorQueue();
  return 0;
}
