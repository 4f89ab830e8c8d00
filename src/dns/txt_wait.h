// Waiting for a TXT record to be served: after an RFC 2136 update, the CA must not be
// told to look before EVERY authoritative server of the zone answers the new record
// (secondaries follow the primary by NOTIFY + IXFR, a few seconds later). Asked directly
// (no recursion, no cache), round after round, until all answer it or time runs out.
//
// Thread safety: free functions; safe from any thread.
#pragma once

#include <chrono>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "dns/client.h"
#include "dns/server_address.h"

namespace certfleet::dns {

struct TxtWait {
  std::vector<ServerAddress> servers;  // every authoritative server of the zone
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};
  std::chrono::milliseconds interval{std::chrono::milliseconds(250)};  // between rounds
  ExchangeOptions exchange{.timeout = std::chrono::seconds(2)};
};

// OK once every server answered `name` TXT with `value` among its values (each server
// is asked until it has, then no more). kDeadlineExceeded after `timeout`, naming each
// server that still does not, with what it answered:
//   "_acme-challenge.shop.example.com TXT is not on every authoritative server after
//    120 s: 192.0.2.54:53 answered NXDOMAIN"
// kInvalidArgument when `servers` is empty.
Status WaitForTxt(const TxtWait& wait, std::string_view name, std::string_view value, Clock& clock);

// The authoritative servers of `zone` as the resolver sees them: its NS names, each
// resolved to its IPv4 and IPv6 addresses (port 53). Errors name the resolver and what
// it answered.
Result<std::vector<ServerAddress>> FindAuthoritativeServers(const ServerAddress& resolver,
                                                            std::string_view zone,
                                                            const ExchangeOptions& options = {});

}  // namespace certfleet::dns
