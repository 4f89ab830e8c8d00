// ACME authorization objects (RFC 8555 §7.1.4) with their challenges:
// acme::ParseAuthorization, and the lookups the order machine makes on the result.
#include "acme/authorization.h"
#include "acme/problem.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto authz = certfleet::acme::ParseAuthorization(certfleet::fuzz::Text(data, size),
                                                   "https://ca.test/authz/1");
  if (!authz) return 0;
  (void)authz->FindChallenge("http-01");
  (void)authz->FindChallenge("dns-01");
  if (const auto* failed = authz->FailedChallenge(); failed && failed->error)
    (void)certfleet::acme::ProblemToError(*failed->error);
  return 0;
}
