// Old nginx workers after a reload: are any still accepting new connections?
//
// On SIGHUP the nginx master starts new workers with the new configuration and then tells
// the old ones to shut down gracefully; an old worker closes its listening sockets only when
// it handles that message. Until then it accepts new connections and presents the OLD
// certificate: ~100 ms on a quiet machine, seconds on a busy one (issue 13: the pipeline
// test's independent `openssl s_client` reached an old worker after the new certificate had
// been seen). So after a reload the agent waits until no old worker holds a listening socket
// of the verify port before it reports a certificate as served.
//
// How (Linux /proc, no nginx configuration needed): the listening sockets of `port` are read
// from /proc/net/tcp{,6} (their inodes); an old worker is a process whose command line starts
// with "nginx: worker process", that holds one of those sockets (/proc/PID/fd), and that
// started before the reload (start time in clock ticks since boot, /proc/PID/stat field 22,
// against CLOCK_BOOTTIME). The master (which keeps the sockets) and workers started by the
// reload never count. Where /proc cannot tell (another user's processes when the agent does
// not run as root, another network namespace) nothing counts as old: the wait ends at once
// and the live check alone decides, as before. Thread-safe; reads /proc only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::agent {

// Clock ticks since boot now (the unit of /proc/PID/stat's start time).
std::uint64_t BootTicksNow();

// The PIDs of old nginx workers (started before `started_before_ticks`) that hold a listening
// socket on `port` (any local address, IPv4 or IPv6).
std::vector<int> OldWorkersListeningOn(std::uint16_t port, std::uint64_t started_before_ticks);

// Polls OldWorkersListeningOn every 10 ms until it is empty or `timeout` passes; returns the
// PIDs still listening at the timeout (empty: none).
std::vector<int> WaitForOldWorkersToStopAccepting(std::uint16_t port,
                                                  std::uint64_t started_before_ticks,
                                                  Duration timeout);

// The port of a verify address ("127.0.0.1:443", "[::1]:8443"); nullopt when it has none.
std::optional<std::uint16_t> PortOf(const std::string& address);

}  // namespace certfleet::agent
