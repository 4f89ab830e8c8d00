// The DNS client: one query, one answer, over UDP or TCP (RFC 1035 §4.2, RFC 7766).
//
// Used for RFC 2136 updates, for asking every authoritative server whether a TXT record
// is there, and for the delegation check through a resolver. Blocking; the deadline
// bounds the whole exchange.
//
// Anti-spoofing: a UDP socket connected to the server (the kernel drops datagrams from
// other addresses), a random id and source port, and a response must repeat the id
// and the question; anything else is ignored while waiting.
//
// Thread safety: free functions, no shared state; safe from any thread.
#pragma once

#include <chrono>
#include <string>

#include "common/error.h"
#include "dns/message.h"
#include "dns/server_address.h"

namespace certfleet::dns {

struct ExchangeOptions {
  std::chrono::milliseconds timeout{3000};  // the whole exchange, retries included
  // UDP is sent again after this long without an answer (lost datagrams).
  std::chrono::milliseconds udp_retry{1000};
  bool tcp = false;  // TCP from the start (updates); else UDP, then TCP if truncated
};

// Sends `query` and returns the response's wire bytes (its id and question already
// checked). Errors name the server and the transport:
//   kDeadlineExceeded "DNS server 127.0.0.1:5353 did not answer within 3000 ms (UDP)"
//   kUnavailable      "DNS server 127.0.0.1:5353 refused the connection (TCP)"
//   kProtocol         "DNS server 127.0.0.1:5353 sent a malformed response: ..."
Result<std::string> ExchangeWire(const ServerAddress& server, const Query& query,
                                 const ExchangeOptions& options = {});

// ExchangeWire, parsed.
Result<Message> Exchange(const ServerAddress& server, const Query& query,
                         const ExchangeOptions& options = {});

// BuildQuery + Exchange.
Result<Message> Ask(const ServerAddress& server, std::string_view name, std::uint16_t type,
                    bool recursion_desired, const ExchangeOptions& options = {});

}  // namespace certfleet::dns
