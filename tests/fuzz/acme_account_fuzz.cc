// ACME account objects (RFC 8555 §7.1.2): acme::ParseAccount, and back through
// AccountToJson (what the CLI stores in its account folder).
#include <nlohmann/json.hpp>

#include "acme/account.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto account =
      certfleet::acme::ParseAccount(certfleet::fuzz::Text(data, size), "https://ca.test/acct/1");
  if (account) (void)certfleet::acme::AccountToJson(*account).dump();
  return 0;
}
