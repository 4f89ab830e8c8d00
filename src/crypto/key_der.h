// Internal to src/crypto: the key encodings certfleet needs on every issuance, done
// without OpenSSL 3's generic encoder/decoder search. That search enumerates every
// provider's key managers and (de)coders on each call (~1 ms of CPU; the first call in a
// process several ms), which dominated the CPU of a short-lived `certfleet acme issue`.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "crypto/key.h"
#include "crypto/openssl_ptr.h"

namespace certfleet::crypto {

// The private key of the first PEM block labelled "... PRIVATE KEY" in `pem`, decoded
// with OpenSSL's decoder pinned to the key type and structure the label announces
// ("PRIVATE KEY": PKCS#8, type from its AlgorithmIdentifier; "EC PRIVATE KEY";
// "RSA PRIVATE KEY"). nullptr whenever this fast path does not apply (other labels,
// encrypted or malformed input, other key types): the caller then falls back to
// PEM_read_bio_PrivateKey, whose errors describe the input. Never throws, never prompts.
EvpPkeyPtr DecodePrivateKeyPem(std::string_view pem);

// SubjectPublicKeyInfo DER (RFC 5280 §4.1.2.7) of the key's public half: EC keys as a
// named curve with the key's encoded point, RSA keys as rsaEncryption (RFC 3279).
// Equal to OpenSSL's i2d_PUBKEY.
Result<std::string> SubjectPublicKeyInfoDer(const PrivateKey& key);

// PKCS#8 PrivateKeyInfo DER (RFC 5208) of an EC key, byte-identical to OpenSSL's
// encoding (the curve OID in the AlgorithmIdentifier, an RFC 5915 ECPrivateKey without
// parameters but with the public key). kInvalidArgument for non-EC keys.
Result<std::string> EcPrivateKeyInfoDer(const PrivateKey& key);

}  // namespace certfleet::crypto
