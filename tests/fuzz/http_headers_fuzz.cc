// HTTP header fields the clients act on: Retry-After (RFC 9110 §10.2.3) and Link (RFC 8288).
// Input: first line = the Retry-After value and the Link relation, the rest = Link values.
#include "fuzz_input.h"
#include "net/http_headers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto lines = certfleet::fuzz::Split(certfleet::fuzz::Text(data, size), '\n');
  const auto now = certfleet::TimePoint(std::chrono::seconds(1'700'000'000));
  auto delay = certfleet::net::ParseRetryAfter(lines[0], now);
  if (delay && delay->count() < 0) certfleet::fuzz::Broken("negative Retry-After");
  std::vector<std::string> values(lines.begin() + 1, lines.end());
  (void)certfleet::net::ParseLinks(values, lines[0]);
  (void)certfleet::net::ParseLinks(values, "alternate");
  certfleet::net::HttpHeaders headers;
  for (const auto& value : values) headers.Add("Link", value);
  (void)headers.GetAll("link");
  return 0;
}
