// ServerAddress: where a DNS server listens — an IP literal and a port.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::dns {

struct ServerAddress {
  std::string ip;  // "192.0.2.53", "2001:db8::53"
  std::uint16_t port = 53;

  // "192.0.2.53:53", "[2001:db8::53]:53".
  std::string ToString() const;
  bool operator==(const ServerAddress&) const = default;
};

// Parses "IP", "IP:PORT", "[IPv6]" or "[IPv6]:PORT" (port 53 when omitted). Host names
// are refused (kInvalidArgument): a DNS client must not depend on DNS to find its
// servers, and an IP literal is what BIND, Knot and PowerDNS configs use too.
Result<ServerAddress> ParseServerAddress(std::string_view text);

// ParseServerAddress for an address to listen on: port 0 (any free port) is allowed.
Result<ServerAddress> ParseListenAddress(std::string_view text);

// The socket address of `server` (filled into `storage`; returns its length).
socklen_t ToSockaddr(const ServerAddress& server, sockaddr_storage* storage);

// The address in `storage` as a ServerAddress (for logs and rate limiting).
ServerAddress FromSockaddr(const sockaddr_storage& storage);

}  // namespace certfleet::dns
