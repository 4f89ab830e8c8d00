// RFC 2136 dynamic updates signed with TSIG (RFC 8945): how certfleet adds and removes
// the TXT records of DNS-01 on a provider's own authoritative servers (BIND, Knot,
// PowerDNS), with nothing but a key that may update those records.
//
// Every update goes over TCP to the zone's primary, signed with the key; the response
// must carry a valid signature too (an unsigned NOERROR could be forged). Errors say
// what the operator must change:
//   kPermissionDenied "... the server does not know TSIG key \"acme-key\" (BADKEY) ..."
//   kPermissionDenied "... the server refused the update (REFUSED): allow key ..."
//   kInvalidArgument  "... the server is not authoritative for zone other.test (NOTAUTH) ..."
//   kUnavailable / kDeadlineExceeded: the server is down or slow (the caller retries)
// and every message starts "RFC 2136 update of <name> at <server> (zone <zone>)". The
// secret is never part of a message.
//
// Thread safety: free functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"
#include "dns/client.h"
#include "dns/server_address.h"
#include "dns/tsig.h"

namespace certfleet::dns {

struct UpdateServer {
  ServerAddress server;  // the primary that accepts updates
  std::string zone;      // the zone the names belong to (canonical)
  TsigKey key;
  ExchangeOptions exchange{.timeout = std::chrono::seconds(10), .tcp = true};
};

// Adds `name` TXT "value" (TTL `ttl`). Other TXT records at `name` stay; adding one that
// exists already changes nothing (RFC 2136 §3.4.2.2).
Status AddTxtRecord(const UpdateServer& target, std::string_view name, std::string_view value,
                    std::uint32_t ttl);

// Deletes exactly `name` TXT "value" (RFC 2136 §2.5.4); fine when it is not there.
Status DeleteTxtRecord(const UpdateServer& target, std::string_view name, std::string_view value);

}  // namespace certfleet::dns
