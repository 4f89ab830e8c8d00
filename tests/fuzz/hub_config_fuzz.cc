// The hub's TOML config file (hub.toml): hub::ParseHubConfig, and its [notify] table
// (notify::ParseNotifyConfig) as the hub reads it.
#include "fuzz_input.h"
#include "hub/config.h"
#include "notify/channel_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  (void)certfleet::hub::ParseHubConfig(text, "fuzz.toml");
  (void)certfleet::notify::ParseNotifyConfig(text, "fuzz.toml");
  return 0;
}
