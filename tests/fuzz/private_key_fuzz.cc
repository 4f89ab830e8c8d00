// Private keys as uploads and key files hold them: crypto::PrivateKey::FromPem (any PEM
// label OpenSSL knows), and what the hub derives from a key (JWK, thumbprint, public PEM).
#include "crypto/jwk.h"
#include "crypto/key.h"
#include "crypto/key_der.h"
#include "fuzz_input.h"
#include "openssl_queue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  if (auto key = certfleet::crypto::PrivateKey::FromPem(text)) {
    (void)certfleet::crypto::JwkThumbprint(*key);
    (void)key->PublicKeyPem();
    auto again = certfleet::crypto::PrivateKey::FromPem(key->ToPem());
    if (!again) certfleet::fuzz::Broken("a parsed key does not survive ToPem/FromPem");
  }
  (void)certfleet::crypto::DecodePrivateKeyPem(text);
  certfleet::fuzz::ExpectEmptyOpensslErrorQueue();
  return 0;
}
