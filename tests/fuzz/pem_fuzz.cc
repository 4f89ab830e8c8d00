// PEM framing (RFC 7468) of every upload and file: crypto::DecodePemBlocks. Promise: each
// decoded block re-encoded with EncodePem decodes to the same label and bytes.
#include "crypto/pem.h"
#include "fuzz_input.h"
#include "openssl_queue.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (auto bundle = certfleet::crypto::DecodePemBlocks(certfleet::fuzz::Text(data, size))) {
    for (const auto& block : bundle->blocks) {
      auto again =
          certfleet::crypto::DecodePemBlocks(certfleet::crypto::EncodePem(block.label, block.der));
      if (!again || again->blocks.size() != 1 || again->blocks[0].label != block.label ||
          again->blocks[0].der != block.der)
        certfleet::fuzz::Broken("a PEM block does not survive EncodePem/DecodePemBlocks");
    }
  }
  certfleet::fuzz::ExpectEmptyOpensslErrorQueue();
  return 0;
}
