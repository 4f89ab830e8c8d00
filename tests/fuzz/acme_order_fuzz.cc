// ACME order objects (RFC 8555 §7.1.3), as a CA sends them: acme::ParseOrder, and the
// order's embedded problem document turned into an operator's error.
#include "acme/order.h"
#include "acme/problem.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto order =
      certfleet::acme::ParseOrder(certfleet::fuzz::Text(data, size), "https://ca.test/order/1");
  if (order && order->error) (void)certfleet::acme::ProblemToError(*order->error);
  return 0;
}
