// The agent's per-domain manifest (read back from disk after a crash): agent::ParseManifest.
// Promise: whatever parses survives ManifestText/ParseManifest unchanged.
#include "agent/manifest.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto manifest = certfleet::agent::ParseManifest(certfleet::fuzz::Text(data, size), "fuzz");
  if (!manifest) return 0;
  const std::string text = certfleet::agent::ManifestText(*manifest);
  auto again = certfleet::agent::ParseManifest(text, "fuzz");
  if (!again || certfleet::agent::ManifestText(*again) != text)
    certfleet::fuzz::Broken("a manifest does not survive ManifestText/ParseManifest");
  return 0;
}
