// nginx `listen` directives: where a server block accepts connections, and where
// discovery can reach it for a TLS handshake.
//
//   listen 443 ssl;               → all IPv4 addresses, port 443, probed at 127.0.0.1:443
//   listen [::]:443 ssl http2;    → all IPv6 addresses, probed at [::1]:443
//   listen 192.0.2.7:8443 ssl;    → probed at 192.0.2.7:8443
//   listen unix:/run/x.sock ssl;  → not probed (no TCP address)
// `proxy_protocol` listeners expect a PROXY header before the handshake and `quic` ones
// speak UDP, so neither is probed. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace certfleet::agent::discovery {

struct Listen {
  std::string text;  // the arguments as written, joined by one blank
  std::string
      host;  // "*" (IPv4 any), "[::]" (IPv6 any), "[::1]", "10.0.0.1", a name, or a unix path
  int port = 80;
  bool unix_socket = false;
  // This directive says "ssl"; after ReadTlsConfig: the socket speaks TLS (this or another
  // server's listen on the same Endpoint says "ssl", or the server has "ssl on").
  bool ssl = false;
  bool quic = false;
  bool proxy_protocol = false;

  // "host:port" identifying the socket; nginx turns TLS on for a socket when any server's
  // listen on it says "ssl".
  std::string Endpoint() const;
};

// kInvalidArgument for an empty argument list or a port that is not 1..65535.
Result<Listen> ParseListen(const std::vector<std::string>& args);

// "127.0.0.1:443", "[::1]:443" or "192.0.2.7:8443" to connect to; nullopt when the
// listener cannot be probed (unix socket, quic, proxy_protocol).
std::optional<std::string> ProbeAddress(const Listen& listen);

}  // namespace certfleet::agent::discovery
