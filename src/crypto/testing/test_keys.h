// PKCS#8 PEM test keys of every KeyType, fixed in the source (see test_keys.cc).
// TEST USE ONLY: the private keys are published in this repository.
#pragma once

namespace certfleet::crypto::testing {

extern const char* const kTestKeyP256Pem;
extern const char* const kTestKeyP384Pem;
extern const char* const kTestKeyRsa2048Pem;
extern const char* const kTestKeyRsa3072Pem;
extern const char* const kTestKeyRsa4096Pem;

}  // namespace certfleet::crypto::testing
