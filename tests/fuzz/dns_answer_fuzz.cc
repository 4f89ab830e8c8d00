// DNS queries from anyone on the Internet to the hub's authoritative responder for its
// delegated zone (src/dns/responder/zone_answer.h): ZoneAnswerer::Answer over UDP and TCP,
// and Truncated (rate limiting's slip), plus dns::ParseMessage on the same bytes.
// Promises (zone_answer.h): no answer to a response (QR set) or to fewer than 12 bytes; a UDP
// answer is at most 1232 bytes; any answer parses as a DNS message with the query's ID.
#include <memory>
#include <string>
#include <vector>

#include "dns/message.h"
#include "dns/responder/zone_answer.h"
#include "fuzz_input.h"

namespace {

class Digests : public certfleet::dns::TxtSource {
 public:
  std::vector<std::string> Lookup(std::string_view label) const override {
    if (label == "shop") return {"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0", "second-digest"};
    return {};
  }
};

const certfleet::dns::ZoneAnswerer& Answerer() {
  static const Digests digests;
  static const auto answerer =
      certfleet::dns::ZoneAnswerer::Create(
          {.zone = "acme.provider.net", .nameservers = {"ns1.provider.net", "ns2.provider.org"}},
          digests)
          .value();
  return *answerer;
}

void Check(std::string_view query, const std::string& response, bool udp) {
  if (query.size() < 12 || (static_cast<unsigned char>(query[2]) & 0x80) != 0)
    certfleet::fuzz::Broken("answered a response or a fragment shorter than a header");
  if (udp && response.size() > 1232) certfleet::fuzz::Broken("UDP answer over 1232 bytes");
  if (response.size() < 12 || response[0] != query[0] || response[1] != query[1])
    certfleet::fuzz::Broken("answer without the query's ID");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query = certfleet::fuzz::Text(data, size);
  const auto& answerer = Answerer();
  std::string response;
  if (answerer.Answer(query, certfleet::dns::Transport::kUdp, &response))
    Check(query, response, true);
  response.clear();
  if (answerer.Answer(query, certfleet::dns::Transport::kTcp, &response))
    Check(query, response, false);
  response.clear();
  if (answerer.Truncated(query, &response)) Check(query, response, true);
  (void)certfleet::dns::ParseMessage(query);
  return 0;
}
