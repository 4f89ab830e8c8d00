// RFC 7807 / RFC 8555 §6.7 problem documents: acme::ParseProblem ("never throws"), the
// error an operator reads (ProblemToError, Describe). The first byte picks the HTTP status.
#include "acme/problem.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int status = 400 + data[0] % 200;
  auto problem = certfleet::acme::ParseProblem(certfleet::fuzz::Text(data + 1, size - 1), status);
  if (!problem) return 0;
  auto error = certfleet::acme::ProblemToError(*problem);
  if (error.message.empty()) certfleet::fuzz::Broken("a problem turned into an empty message");
  return 0;
}
