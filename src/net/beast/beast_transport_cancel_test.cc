// BeastTransport::Cancel against a server that accepts and never answers (a listening
// socket: the kernel completes the TCP handshake, nobody reads).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "net/beast/beast_transport.h"

namespace certfleet::net {
namespace {

class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0 && ::listen(fd_, 8) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port_ = ntohs(addr.sin_port);
    }
  }
  ~SilentServer() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST(BeastTransportCancelTest, CancelEndsARequestWaitingForAnAnswer) {
  SilentServer server;
  ASSERT_NE(server.port(), 0) << "cannot listen on a loopback port";
  auto transport = BeastTransport::Create({.total_timeout = std::chrono::seconds(60)});
  ASSERT_TRUE(transport) << transport.error().message;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the request is waiting by now
    (*transport)->Cancel();
  });
  const auto start = std::chrono::steady_clock::now();
  auto response =
      (*transport)
          ->Send({"GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/wait", {}, ""});
  const auto took = std::chrono::steady_clock::now() - start;
  canceller.join();
  ASSERT_FALSE(response) << "a request the server never answers must fail once cancelled";
  EXPECT_NE(response.error().message.find("cancelled"), std::string::npos)
      << response.error().message;
  EXPECT_LT(took, std::chrono::seconds(30)) << "Cancel must end the request, not its 60 s timeout";
  auto later =
      (*transport)
          ->Send({"GET", "http://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""});
  ASSERT_FALSE(later) << "a cancelled transport must refuse new requests";
  EXPECT_NE(later.error().message.find("cancelled"), std::string::npos) << later.error().message;
}

}  // namespace
}  // namespace certfleet::net
