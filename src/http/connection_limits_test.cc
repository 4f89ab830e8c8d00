// The server's connection caps, client-gone detection for deferred requests and body
// admission (review 2026-12-06, F3).
#include "http/connection_limits.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/http_client.h"
#include "harness/net.h"
#include "http/server.h"

namespace certfleet::http {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<Server> StartOrDie(Router router, ServerOptions options) {
  auto server = Server::Start(std::move(options), std::move(router));
  if (!server) throw std::runtime_error(server.error().message);
  return std::move(*server);
}

// A raw TCP connection from `source` (any 127.x.y.z: Linux routes all of 127/8 to lo) to
// 127.0.0.1:port; -1 if it could not connect.
int ConnectFrom(const std::string& source, std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// What the server sends on `fd` within `wait` ("" when it closed without a word,
// "<open>" when it neither answered nor closed).
std::string ReadAnswer(int fd, std::chrono::milliseconds wait) {
  timeval tv{static_cast<time_t>(wait.count() / 1000),
             static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) return answer.empty() ? "<open>" : answer;
    if (n == 0) return answer;
    answer.append(buffer, static_cast<size_t>(n));
  }
}

std::string Get(const std::string& path) {
  return "GET " + path + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
}

void Send(int fd, const std::string& bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
}

std::size_t OpenFds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++n;
  }
  return n;
}

Router HealthRouter() {
  Router router;
  router.Add("GET", "/healthz", [](const Request&) { return Response::Text("ok"); });
  return router;
}

class Closer {
 public:
  ~Closer() {
    for (int fd : fds_) ::close(fd);
  }
  int Add(int fd) {
    fds_.push_back(fd);
    return fd;
  }

 private:
  std::vector<int> fds_;
};

TEST(ConnectionLimitsTest, APeerAtItsPerAddressLimitGetsNoMoreAndOthersStillDo) {
  auto server = StartOrDie(HealthRouter(), {.max_connections_per_address = 3});
  Closer closer;
  for (int i = 0; i < 3; ++i) ASSERT_GE(closer.Add(ConnectFrom("127.0.0.2", server->port())), 0);
  const int extra = closer.Add(ConnectFrom("127.0.0.2", server->port()));
  ASSERT_GE(extra, 0);
  EXPECT_EQ(ReadAnswer(extra, 5s), "") << "the 4th connection from 127.0.0.2 must be closed";
  const int other = closer.Add(ConnectFrom("127.0.0.3", server->port()));
  Send(other, Get("/healthz"));
  EXPECT_NE(ReadAnswer(other, 5s).find("200 OK"), std::string::npos)
      << "another address is not limited by 127.0.0.2's connections";
}

TEST(ConnectionLimitsTest, AtTheGlobalLimitTheLongestIdleConnectionMakesRoom) {
  // 16 is the smallest limit the server accepts.
  auto server =
      StartOrDie(HealthRouter(), {.max_connections = 16, .max_connections_per_address = 0});
  Closer closer;
  std::vector<int> idle;
  for (int i = 0; i < 16; ++i) {
    idle.push_back(closer.Add(ConnectFrom("127.0.0.4", server->port())));
    ASSERT_GE(idle.back(), 0);
  }
  std::this_thread::sleep_for(50ms);  // the first ones are measurably the oldest
  const int fresh = closer.Add(ConnectFrom("127.0.0.5", server->port()));
  Send(fresh, Get("/healthz"));
  EXPECT_NE(ReadAnswer(fresh, 5s).find("200 OK"), std::string::npos)
      << "a new client must get in by closing idle ones";
  EXPECT_EQ(ReadAnswer(idle.front(), 5s), "") << "the longest-idle connection must be closed";
}

TEST(ConnectionLimitsTest, AClientThatLeavesADeferredRequestFreesItsConnection) {
  Router router = HealthRouter();
  std::mutex mu;
  std::vector<Responder> parked;  // never answered before the test ends
  router.AddAsync("GET", "/wait", [&](const Request&, Responder r) {
    r.ExpireAfter(60s, Response::Text("timeout"));
    std::lock_guard lock(mu);
    parked.push_back(std::move(r));
  });
  auto server = StartOrDie(std::move(router), {.peer_check_interval = 50ms});
  const std::size_t before = OpenFds();
  for (int i = 0; i < 50; ++i) {
    const int fd = ConnectFrom("127.0.0.6", server->port());
    ASSERT_GE(fd, 0);
    Send(fd, Get("/wait"));
    ::close(fd);  // the client gives up at once
  }
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return parked.size() == 50;
      },
      10s))
      << "every request must have reached the handler";
  EXPECT_TRUE(harness::WaitFor([&] { return OpenFds() <= before + 2; }, 5s, 20ms))
      << "the server still holds " << OpenFds() - before
      << " connections of clients that left (fds: before " << before << ")";
}

// A hook that admits bodies only with "Authorization: yes", up to 100 bytes.
BodyAdmission OnlyWithAuthorization(const Request& head) {
  if (head.headers.Get("Authorization") != "yes") {
    return {.reject = Response::JsonError(401, "unauthenticated", "who are you?")};
  }
  return {.body_limit = 100};
}

Router EchoRouter() {
  Router router;
  router.Add("POST", "/echo", [](const Request& r) { return Response::Text(r.body); });
  return router;
}

TEST(ConnectionLimitsTest, ABodyIsRefusedBeforeItIsSentWhenTheHookSaysNo) {
  auto server = StartOrDie(EchoRouter(), {.admit_body = OnlyWithAuthorization});
  Closer closer;
  const int fd = closer.Add(ConnectFrom("127.0.0.7", server->port()));
  // The header announces 1 MB; not one byte of it is sent.
  Send(fd, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n");
  EXPECT_NE(ReadAnswer(fd, 5s).find("401 Unauthorized"), std::string::npos)
      << "the refusal must come before the body (the server waited for it instead)";
}

TEST(ConnectionLimitsTest, AdmittedBodiesAreReadWithinTheHooksLimit) {
  auto server = StartOrDie(EchoRouter(), {.admit_body = OnlyWithAuthorization});
  harness::HttpRequest post{.method = "POST", .body = "hello", .headers = {"Authorization: yes"}};
  auto ok = harness::HttpFetch(server->BaseUrl() + "/echo", post);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "hello");
  post.body = std::string(101, 'x');
  EXPECT_EQ(harness::HttpFetch(server->BaseUrl() + "/echo", post).status, 413);
  post.headers = {"Transfer-Encoding: chunked", "Authorization: yes"};
  EXPECT_EQ(harness::HttpFetch(server->BaseUrl() + "/echo", post).status, 413)
      << "a chunked body is held to the same limit";
}

TEST(LogLimiterTest, PassesOncePerIntervalWithTheCount) {
  LogLimiter limiter(1h);
  EXPECT_EQ(limiter.Pass(), 1u);
  EXPECT_EQ(limiter.Pass(), 0u);
  EXPECT_EQ(limiter.Pass(), 0u);
  LogLimiter fast(0s);
  EXPECT_EQ(fast.Pass(), 1u);
  EXPECT_EQ(fast.Pass(), 1u);
}

}  // namespace
}  // namespace certfleet::http
