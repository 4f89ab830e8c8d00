// ZoneAnswerer: the authoritative answers of the hub's DNS responder for ONE zone that
// a provider delegated to its hubs (e.g. acme.provider.net). Pure: a query's bytes in,
// a response's bytes (or nothing) out; no sockets, no clock. Fuzz entry point: Answer.
//
// What exists in the zone:
//   <zone>          SOA, NS (the configured name servers, which lie outside the zone)
//   <label>.<zone>  TXT: the current DNS-01 digests of the domain with that label (two
//                   at once for a name and its wildcard), while TxtSource has any
// Everything else is answered as the RFCs say, and nothing more:
//   - another zone, another class, zone transfers (AXFR/IXFR) → REFUSED (no open
//     resolver, no recursion: RA is never set);
//   - a name of the zone that does not exist → NXDOMAIN with the SOA (negative TTL =
//     the answer TTL, so a resolver forgets quickly);
//   - an existing name, another type → NODATA (NOERROR, no answer, the SOA);
//   - ANY → one synthesized HINFO "RFC8482" record (RFC 8482 §4.2), never everything;
//   - another opcode → NOTIMP; not exactly one question → FORMERR; EDNS version > 0 →
//     BADVERS; a message that ldns cannot parse but whose header is complete →
//     FORMERR (header only); responses (QR set) and fragments shorter than a header →
//     no answer at all (so two servers cannot be made to talk to each other).
// The response echoes the question exactly (resolvers randomize its case), sets AA and
// copies RD. Over UDP it fits the client's EDNS size (512 without EDNS, at most 1232);
// a response that does not fit is sent truncated (TC, question only) so the client
// retries over TCP. No response is larger than its query except answers for names of
// the zone (at most a few hundred bytes).
//
// Thread safety: Answer is const and may run on many threads at once, provided the
// TxtSource's Lookup may.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::dns {

struct ZoneSettings {
  std::string zone;                      // canonical, e.g. "acme.provider.net"
  std::vector<std::string> nameservers;  // NS targets, canonical, outside the zone
  std::string
      hostmaster;  // SOA RNAME as a name ("hostmaster.provider.net"); "" = hostmaster.<zone>
  std::uint32_t serial = 1;       // the zone is never transferred: the serial never changes
  std::uint32_t txt_ttl = 1;      // TXT answers and negative answers: a CA must see new
                                  // digests at once, so resolvers may cache for 1 s at most
  std::uint32_t apex_ttl = 3600;  // SOA and NS
};

// Checks the settings: the zone is a valid name, at least one NS, every NS a valid name
// outside the zone (an NS inside would need glue the responder does not serve).
Status ValidateZoneSettings(const ZoneSettings& settings);

// The TXT records of the zone. Labels are single DNS labels, lower-case.
class TxtSource {
 public:
  virtual ~TxtSource() = default;
  // The TXT values at <label>.<zone>; empty when the name does not exist (now).
  // MUST be safe to call from many threads at once; it is on the hot path.
  virtual std::vector<std::string> Lookup(std::string_view label) const = 0;
};

enum class Transport { kUdp, kTcp };

class ZoneAnswerer {
 public:
  // `settings` must be valid (ValidateZoneSettings); `source` must outlive the answerer.
  static Result<std::unique_ptr<ZoneAnswerer>> Create(ZoneSettings settings,
                                                      const TxtSource& source);
  ~ZoneAnswerer();

  // Answers `query`. Returns false when nothing must be sent back; otherwise *response
  // holds the bytes to send.
  bool Answer(std::string_view query, Transport transport, std::string* response) const;

  // A minimal truncated response (TC set, question echoed, no records) for a query the
  // server decided not to answer in full over UDP (rate limiting's "slip"). False when
  // the query gets no answer at all.
  bool Truncated(std::string_view query, std::string* response) const;

  const ZoneSettings& settings() const;

  struct Impl;

 private:
  explicit ZoneAnswerer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace certfleet::dns
