// What the agent reads from the hub over the network: the desired state, a certificate
// bundle (chain + key) and a watch page (agent::Parse* in http_hub_client.h).
#include "agent/http_hub_client.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string body(certfleet::fuzz::Text(data, size));
  (void)certfleet::agent::ParseDesiredState(body);
  (void)certfleet::agent::ParseCertificateBundle(body);
  (void)certfleet::agent::ParseWatchPage(body);
  return 0;
}
