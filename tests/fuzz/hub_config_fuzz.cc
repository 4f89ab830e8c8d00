// The hub's TOML config file (hub.toml): hub::ParseHubConfig, then hub::ValidateHubConfig on
// what it accepted (as certfleet-hub does at start-up, main.cc BuildConfig),
// and its [notify] table alone (notify::ParseNotifyConfig, which validates too).
// ValidateHubConfig may test whether a named file can be opened; it never reads one.
#include "fuzz_input.h"
#include "hub/config.h"
#include "notify/channel_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  if (auto config = certfleet::hub::ParseHubConfig(text, "fuzz.toml")) {
    (void)certfleet::hub::ValidateHubConfig(*config);
  }
  (void)certfleet::notify::ParseNotifyConfig(text, "fuzz.toml");
  return 0;
}
