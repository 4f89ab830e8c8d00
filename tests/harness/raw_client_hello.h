// SendClientHello: a hand-made TLS 1.2 ClientHello with any server name (OpenSSL's own
// client refuses names over 255 bytes), for tests of what a server does with names no
// real client would send.
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"

namespace certfleet::harness {

struct HelloAnswer {
  bool server_hello = false;  // the server answered with a ServerHello
  bool alert = false;         // … or with a TLS alert (else it closed or said nothing)
};

// Connects to 127.0.0.1:`port`, sends the ClientHello with SNI `server_name` (ECDHE-ECDSA
// and ECDHE-RSA with AES-128-GCM, P-256), reads the first record (2 s at most).
Result<HelloAnswer> SendClientHello(std::uint16_t port, const std::string& server_name);

}  // namespace certfleet::harness
