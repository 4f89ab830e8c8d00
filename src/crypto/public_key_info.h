// What kind of key a certificate certifies and who issued it, for reports about
// certificates certfleet did not make (discovery on hosts, imports). Unlike KeyType, this
// describes any key OpenSSL can read, including ones certfleet would never issue.
#pragma once

#include <string>

#include "crypto/x509.h"

namespace certfleet::crypto {

// "ec-p256", "ec-p384", "rsa-2048", ... (KeyTypeName's names where they apply), else
// "rsa-1024", "ec-secp256k1", "ed25519", "ed448", "dsa-2048", or "unknown".
std::string PublicKeyTypeName(const Certificate& certificate);

// The issuer's distinguished name in RFC 2253 form ("CN=R11,O=Let's Encrypt,C=US"),
// UTF-8; "" when it cannot be printed.
std::string IssuerDistinguishedName(const Certificate& certificate);

}  // namespace certfleet::crypto
