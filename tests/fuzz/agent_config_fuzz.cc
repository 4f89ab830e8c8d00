// The agent's TOML config file (/etc/certfleet/agent.toml): agent::ParseAgentConfig.
#include "agent/config.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)certfleet::agent::ParseAgentConfig(certfleet::fuzz::Text(data, size), "fuzz.toml");
  return 0;
}
