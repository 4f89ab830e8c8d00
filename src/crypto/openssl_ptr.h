// Internal to src/crypto: RAII owners for OpenSSL objects and the one way OpenSSL
// failures become certfleet Errors. Not for use outside crypto/.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::crypto {

// Calls the OpenSSL free function `Fn` on destruction.
template <auto Fn>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};

using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX_free>>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpensslDeleter<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpensslDeleter<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpensslDeleter<X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<X509_EXTENSION_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpensslDeleter<X509_STORE_CTX_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpensslDeleter<GENERAL_NAMES_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpensslDeleter<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, OpensslDeleter<ASN1_TIME_free>>;

// Frees an X509 stack without freeing its elements (the stack only borrows them).
struct X509StackDeleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

// Error "<step>: <OpenSSL error queue>" (or "<step>: unknown OpenSSL error" if the
// queue is empty). Drains the calling thread's error queue.
Error OpensslError(ErrorCode code, std::string_view step);

// Discards the calling thread's OpenSSL error queue (after an expected failure).
void ClearOpensslErrors();

// A read-only memory BIO over `data` (which must outlive the BIO).
BioPtr MemoryBio(std::string_view data);
// Everything written to a memory BIO so far.
std::string BioContents(BIO* bio);

// Big-endian magnitude of `bn`, left-padded with zeros to `min_size` bytes.
std::string BignumBytes(const BIGNUM* bn, size_t min_size = 0);

// i2d of an OpenSSL object into a std::string; "" on failure.
template <typename T, typename Fn>
std::string ToDerString(T* object, Fn i2d) {
  const int size = i2d(object, nullptr);
  if (size <= 0) return {};
  std::string out(static_cast<size_t>(size), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (i2d(object, &p) != size) return {};
  return out;
}

}  // namespace certfleet::crypto
