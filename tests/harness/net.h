// Loopback ports and waiting helpers for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace certfleet::harness {

// A TCP port on 127.0.0.1 that was free a moment ago, chosen at random below the kernel's
// ephemeral range so that no outgoing connection can take it before the server binds it.
// Two tests may still pick the same port in that moment (rarely): start the server promptly.
std::uint16_t FreeLoopbackPort();

// A port on 127.0.0.1 that was free for both UDP and TCP a moment ago (DNS servers
// listen on both). Same race as FreeLoopbackPort.
std::uint16_t FreeLoopbackUdpTcpPort();

// Calls `predicate` every `interval` until it returns true (→ true) or `timeout`
// passes (→ false). No fixed sleeps in tests: wait for the condition instead.
bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
             std::chrono::milliseconds interval = std::chrono::milliseconds(5));

// True when a TCP connection to 127.0.0.1:`port` succeeds.
bool CanConnect(std::uint16_t port);

}  // namespace certfleet::harness
