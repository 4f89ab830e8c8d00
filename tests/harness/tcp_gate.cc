#include "harness/tcp_gate.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "harness/net.h"

namespace certfleet::harness {
namespace {

constexpr int kPollMs = 50;  // how soon the threads notice stopping_

sockaddr_in Loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

// Copies what is readable on `from` to `to`; false when `from` closed or failed.
bool Pump(int from, int to) {
  char buffer[16384];
  const ssize_t n = ::read(from, buffer, sizeof buffer);
  if (n <= 0) return false;
  for (ssize_t sent = 0; sent < n;) {
    const ssize_t w = ::write(to, buffer + sent, static_cast<std::size_t>(n - sent));
    if (w <= 0) return false;
    sent += w;
  }
  return true;
}

}  // namespace

Result<std::unique_ptr<TcpGate>> TcpGate::Start(std::uint16_t target_port, int pass) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::uint16_t port = FreeLoopbackPort();
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return Fail(ErrorCode::kIo, "TcpGate: socket() failed");
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr = Loopback(port);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 16) == 0)
      return std::unique_ptr<TcpGate>(new TcpGate(fd, port, target_port, pass));
    ::close(fd);
  }
  return Fail(ErrorCode::kIo, "TcpGate: no free loopback port to listen on");
}

TcpGate::TcpGate(int listen_fd, std::uint16_t port, std::uint16_t target_port, int pass)
    : listen_fd_(listen_fd), port_(port), target_port_(target_port), pass_(pass) {
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

TcpGate::~TcpGate() {
  stopping_ = true;
  acceptor_.join();
  ::close(listen_fd_);
  std::lock_guard lock(mu_);
  for (std::thread& relay : relays_) relay.join();
  for (int fd : held_fds_) ::close(fd);
}

void TcpGate::PassAll() {
  pass_ = INT_MAX;
  std::lock_guard lock(mu_);
  for (int fd : held_fds_) ::close(fd);
  held_fds_.clear();
  held_ = 0;
}

void TcpGate::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, kPollMs) <= 0) continue;
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    const int index = accepted_++;
    std::lock_guard lock(mu_);
    if (index < pass_.load()) {
      relays_.emplace_back([this, client] { Relay(client); });
    } else {
      held_fds_.push_back(client);
      ++held_;
    }
  }
}

void TcpGate::Relay(int client_fd) {
  const int target = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(target_port_);
  if (target < 0 || ::connect(target, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    if (target >= 0) ::close(target);
    ::close(client_fd);
    return;
  }
  pollfd fds[2] = {{client_fd, POLLIN, 0}, {target, POLLIN, 0}};
  while (!stopping_) {
    if (::poll(fds, 2, kPollMs) <= 0) continue;
    if (fds[0].revents != 0 && !Pump(client_fd, target)) break;
    if (fds[1].revents != 0 && !Pump(target, client_fd)) break;
  }
  ::close(target);
  ::close(client_fd);
}

}  // namespace certfleet::harness
