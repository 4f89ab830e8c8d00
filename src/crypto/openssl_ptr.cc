#include "crypto/openssl_ptr.h"

#include <openssl/err.h>

#include <algorithm>
#include <array>

namespace certfleet::crypto {

Error OpensslError(ErrorCode code, std::string_view step) {
  std::string detail;
  unsigned long err = 0;
  while ((err = ERR_get_error()) != 0) {
    std::array<char, 256> buf{};
    ERR_error_string_n(err, buf.data(), buf.size());
    if (!detail.empty()) detail += "; ";
    detail += buf.data();
  }
  // Popping leaves each slot's file and function strings allocated until the slot is reused;
  // clearing frees them now, so a failed parse holds no memory afterwards (issue 13: the
  // fuzzers' leak check ran after every such input and slowed x509_fuzz 25-fold).
  ERR_clear_error();
  if (detail.empty()) detail = "unknown OpenSSL error";
  return Error{code, std::string(step) + ": " + detail};
}

void ClearOpensslErrors() { ERR_clear_error(); }

BioPtr MemoryBio(std::string_view data) {
  // BIO_new_mem_buf takes an int length; inputs beyond 2 GiB are not certificates or keys.
  const int size = data.size() > 0x7fffffff ? 0x7fffffff : static_cast<int>(data.size());
  return BioPtr(BIO_new_mem_buf(data.data(), size));
}

std::string BioContents(BIO* bio) {
  BUF_MEM* mem = nullptr;
  BIO_get_mem_ptr(bio, &mem);
  if (mem == nullptr) return {};
  return std::string(mem->data, mem->length);
}

std::string BignumBytes(const BIGNUM* bn, size_t min_size) {
  const int num = BN_num_bytes(bn);
  const size_t size = std::max(static_cast<size_t>(num), min_size);
  std::string out(size, '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size));
  return out;
}

}  // namespace certfleet::crypto
