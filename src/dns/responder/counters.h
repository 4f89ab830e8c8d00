// ServerCounters: the DnsServer's statistics, bumped by its UDP and TCP threads.
#pragma once

#include <atomic>
#include <cstdint>

namespace certfleet::dns::internal {

struct ServerCounters {
  std::atomic<std::uint64_t> udp_queries{0};
  std::atomic<std::uint64_t> udp_answered{0};
  std::atomic<std::uint64_t> udp_slipped{0};
  std::atomic<std::uint64_t> udp_dropped{0};
  std::atomic<std::uint64_t> tcp_connections{0};
  std::atomic<std::uint64_t> tcp_refused{0};
  std::atomic<std::uint64_t> tcp_queries{0};

  static void Bump(std::atomic<std::uint64_t>& counter, std::uint64_t by = 1) {
    counter.fetch_add(by, std::memory_order_relaxed);
  }
};

}  // namespace certfleet::dns::internal
