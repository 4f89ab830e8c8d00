// Loopback ports and waiting helpers for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace certfleet::harness {

// A TCP port on 127.0.0.1 that was free a moment ago (the kernel picks it, so parallel
// tests rarely collide). There is a small race until the server binds it: start the
// server promptly.
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
