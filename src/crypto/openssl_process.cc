#include "crypto/openssl_process.h"

#include <openssl/crypto.h>

namespace certfleet::crypto {

void SkipOpensslCleanupAtExit() {
  // Only fails on a broken OpenSSL, which the first real call reports with context.
  (void)OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
}

}  // namespace certfleet::crypto
