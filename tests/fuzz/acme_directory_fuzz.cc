// ACME directory documents (RFC 8555 §7.1.1), as a CA sends them: acme::ParseDirectory.
#include "acme/directory.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)certfleet::acme::ParseDirectory(certfleet::fuzz::Text(data, size));
  return 0;
}
