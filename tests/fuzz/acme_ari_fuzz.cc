// RFC 9773 renewalInfo bodies: acme::ParseRenewalInfo. Promise: a parsed window never ends
// before it starts.
#include "acme/ari.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info = certfleet::acme::ParseRenewalInfo(certfleet::fuzz::Text(data, size));
  if (info && info->window_end < info->window_start) certfleet::fuzz::Broken("window end < start");
  return 0;
}
