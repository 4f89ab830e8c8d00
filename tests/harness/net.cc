#include "harness/net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

namespace certfleet::harness {
namespace {

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// The first port of the kernel's ephemeral range (net.ipv4.ip_local_port_range), 32768 by
// default: outgoing connections get their local port from that range.
int EphemeralRangeStart() {
  std::ifstream in("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  return in >> low ? low : 32768;
}

bool TcpBindable(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("FreeLoopbackPort: socket() failed");
  sockaddr_in addr = Loopback(port);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

// Below the ephemeral range, at random: a port the kernel chose (bind to port 0) comes from
// the range every outgoing connection takes its local port from, so a test holding thousands
// of client connections (HubConnectionsTest) took ports other tests had just been given, and
// Pebble or nginx then failed to bind "address already in use" (seen in CI). Ports below the
// range are only ever taken by a server that asks for one; two tests picking the same port in
// the moment before their servers bind is left, 1 in ~12,000.
std::uint16_t FreeLoopbackPort() {
  const int end = EphemeralRangeStart();  // exclusive
  const int begin = std::max(1024, end - 12768);
  thread_local std::mt19937 random{std::random_device{}()};
  std::uniform_int_distribution<int> pick(begin, end - 1);
  for (int attempt = 0; end - begin > 100 && attempt < 200; ++attempt) {
    const auto port = static_cast<std::uint16_t>(pick(random));
    if (TcpBindable(port)) return port;
  }
  // An unusual range (no room below it): let the kernel choose, with the old race.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("FreeLoopbackPort: socket() failed");
  sockaddr_in addr = Loopback(0);
  socklen_t length = sizeof addr;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("FreeLoopbackPort: cannot bind 127.0.0.1:0");
  return ntohs(addr.sin_port);
}

std::uint16_t FreeLoopbackUdpTcpPort() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const std::uint16_t port = FreeLoopbackPort();
    int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) throw std::runtime_error("FreeLoopbackUdpTcpPort: socket() failed");
    sockaddr_in addr = Loopback(port);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    if (free) return port;
  }
  throw std::runtime_error("FreeLoopbackUdpTcpPort: no port free for both UDP and TCP");
}

bool WaitFor(const std::function<bool()>& predicate, std::chrono::milliseconds timeout,
             std::chrono::milliseconds interval) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (predicate()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(interval);
  }
}

bool CanConnect(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr = Loopback(port);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace certfleet::harness
