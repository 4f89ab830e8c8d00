// TcpGate: a TCP relay on a free loopback port that passes the first `pass` connections
// through to a target port and holds the ones after (accepted, never read or answered),
// to stop a client at a known point of its conversation — e.g. a hub killed while its
// first RFC 2136 delete is in flight, after the adds went through:
//
//   auto gate = TcpGate::Start(named->port(), /*pass=*/2);
//   // configure the client to use 127.0.0.1:(*gate)->port()
//   WaitFor([&] { return (*gate)->held() > 0; }, ...);   // the 3rd connection arrived
//   (*gate)->PassAll();                                    // from now on, a plain relay
//
// Relayed connections copy bytes both ways until either side closes. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"

namespace certfleet::harness {

class TcpGate {
 public:
  static Result<std::unique_ptr<TcpGate>> Start(std::uint16_t target_port, int pass);
  ~TcpGate();  // closes every connection, joins the threads

  std::uint16_t port() const { return port_; }
  int accepted() const { return accepted_.load(); }  // connections so far
  int held() const { return held_.load(); }          // held connections still open
  // Closes the held connections and relays every later one.
  void PassAll();

 private:
  TcpGate(int listen_fd, std::uint16_t port, std::uint16_t target_port, int pass);
  void AcceptLoop();
  void Relay(int client_fd);

  const int listen_fd_;
  const std::uint16_t port_;
  const std::uint16_t target_port_;
  std::atomic<int> pass_;
  std::atomic<int> accepted_ = 0;
  std::atomic<int> held_ = 0;
  std::atomic<bool> stopping_ = false;
  std::mutex mu_;
  std::vector<int> held_fds_;        // guarded by mu_
  std::vector<std::thread> relays_;  // guarded by mu_
  std::thread acceptor_;
};

}  // namespace certfleet::harness
