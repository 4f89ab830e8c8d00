// The real certfleet-hub under a connection flood (review 2026-12-06, F3).
//
// Thousands of connections come from many 127.x.y.z source addresses (Linux routes all of
// 127/8 to lo), as they would from many hosts.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/net.h"
#include "harness/temp_dir.h"

namespace certfleet {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kIdle = 5000;
constexpr int kAbandonedLongPolls = 1000;

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

std::size_t OpenFdsOf(pid_t pid) {
  std::error_code ec;
  std::size_t n = 0;
  for (std::filesystem::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end;
       !ec && it != end; it.increment(ec)) {
    ++n;
  }
  return n;
}

void SetSoftFileLimit(rlim_t soft) {
  rlimit limit{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
  limit.rlim_cur = std::min(soft, limit.rlim_max);
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
}

class HubConnectionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    ASSERT_GE(limit.rlim_max, rlim_t{kIdle + kAbandonedLongPolls + 1000})
        << "this test opens " << kIdle + kAbandonedLongPolls
        << " connections: raise the hard open-file limit (ulimit -Hn)";
    saved_soft_ = limit.rlim_cur;
  }
  void TearDown() override {
    for (int fd : fds_) ::close(fd);
    hub_.reset();
    SetSoftFileLimit(saved_soft_);
  }

  // Starts the hub with `extra` top-level config lines and systemd's default soft
  // open-file limit of 1024 (the hub must raise it itself).
  void StartHub(const std::string& extra) {
    port_ = harness::FreeLoopbackPort();
    base_ = "http://127.0.0.1:" + std::to_string(port_);
    std::ofstream(dir_.path() / "hub.toml") << "data_dir = \"" << (dir_.path() / "data").string()
                                            << "\"\nlisten = \"127.0.0.1:" << port_ << "\"\n"
                                            << extra;
    SetSoftFileLimit(1024);
    auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                         .config_file = dir_.path() / "hub.toml",
                                         .data_dir = dir_.path() / "data",
                                         .base_url = base_,
                                         .log_file = dir_.path() / "hub.log"});
    SetSoftFileLimit(RLIM_INFINITY);  // ours: the connections below
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
  }

  std::string ReadonlyToken() {
    harness::HttpRequest request{.method = "POST",
                                 .body = R"({"name":"watcher","role":"readonly"})",
                                 .headers = {"Authorization: Bearer " + hub_->admin_token,
                                             "Content-Type: application/json"}};
    auto r = harness::HttpFetch(base_ + "/api/v1/tokens", request);
    EXPECT_EQ(r.status, 201) << r.body;
    return json::parse(r.body).value("secret", "");
  }

  // `count` connections that send nothing, spread over 127.0.1.1-10.
  void OpenIdle(int count) {
    for (int i = 0; i < count; ++i) {
      const int fd = ConnectFrom("127.0.1." + std::to_string(1 + i % 10), port_);
      ASSERT_GE(fd, 0) << "connection " << i << ": " << std::strerror(errno);
      fds_.push_back(fd);
    }
  }

  // `count` long-polls (GET /api/v1/events, 55 s), spread over 127.0.2.1-10; returns the
  // client sockets (still open).
  std::vector<int> StartLongPolls(int count, const std::string& token) {
    // A revision far ahead: no event can answer it, so each request waits its 55 s.
    const std::string request =
        "GET /api/v1/events?since=1000000000&wait=55 HTTP/1.1\r\nHost: hub\r\n"
        "Authorization: Bearer " +
        token + "\r\n\r\n";
    std::vector<int> polls;
    for (int i = 0; i < count; ++i) {
      const int fd = ConnectFrom("127.0.2." + std::to_string(1 + i % 10), port_);
      EXPECT_GE(fd, 0) << "long-poll " << i << ": " << std::strerror(errno);
      if (fd < 0) break;
      EXPECT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
                static_cast<ssize_t>(request.size()));
      polls.push_back(fd);
    }
    return polls;
  }

  // GET /healthz and an API call answer within 2 s each. A burst of requests the test just
  // sent (1,000 long-polls: each authenticates and reads the event log) may hold the hub
  // for a few seconds first; that queue is waited out (up to 30 s) by the first check.
  void ExpectPromptAnswers(const std::string& when) {
    ASSERT_TRUE(harness::WaitFor(
        [&] { return harness::HttpGet(base_ + "/healthz", "", 5s).status == 200; }, 30s, 100ms))
        << "no /healthz answer " << when << "\n"
        << LogTail();
    const auto health = harness::HttpGet(base_ + "/healthz", "", 2s);
    EXPECT_EQ(health.status, 200) << when << ": " << health.error;
    harness::HttpRequest request{.headers = {"Authorization: Bearer " + hub_->admin_token},
                                 .timeout = 2s};
    const auto domains = harness::HttpFetch(base_ + "/api/v1/domains", request);
    EXPECT_EQ(domains.status, 200) << when << ": " << domains.error << domains.body;
  }

  std::string LogTail() {
    const std::string log = hub_->process->Log();
    return log.size() > 3000 ? log.substr(log.size() - 3000) : log;
  }

  harness::TempDir dir_{"hub-connections"};
  std::unique_ptr<harness::HubProcess> hub_;
  std::uint16_t port_ = 0;
  std::string base_;
  std::vector<int> fds_;
  rlim_t saved_soft_ = 0;
};

TEST_F(HubConnectionsTest, HealthAndApiAnswerWith5000IdleAnd1000AbandonedLongPolls) {
  ASSERT_NO_FATAL_FAILURE(StartHub(""));
  const pid_t pid = hub_->process->pid();
  const std::string token = ReadonlyToken();
  const std::size_t baseline = OpenFdsOf(pid);
  ASSERT_NO_FATAL_FAILURE(OpenIdle(kIdle));
  std::vector<int> polls = StartLongPolls(kAbandonedLongPolls, token);
  const std::size_t all = baseline + kIdle + kAbandonedLongPolls;
  ASSERT_TRUE(harness::WaitFor([&] { return OpenFdsOf(pid) + 20 >= all; }, 20s, 50ms))
      << "the hub (started with a soft open-file limit of 1024) did not take every connection: "
      << OpenFdsOf(pid) - baseline << " of " << kIdle + kAbandonedLongPolls << "\n"
      << LogTail();
  ASSERT_NO_FATAL_FAILURE(ExpectPromptAnswers("with every connection held"));
  for (int fd : polls) ::close(fd);  // the long-poll clients give up
  EXPECT_TRUE(harness::WaitFor([&] { return OpenFdsOf(pid) < baseline + kIdle + 50; }, 10s, 50ms))
      << "the connections of long-polls whose clients left must be closed; the hub holds "
      << OpenFdsOf(pid) - baseline << " connections for " << kIdle << " live clients";
  ExpectPromptAnswers("after the long-poll clients left");
}

TEST_F(HubConnectionsTest, TheCapsCloseIdleConnectionsAndRefuseGreedyAddressesWithALogLine) {
  ASSERT_NO_FATAL_FAILURE(StartHub("max_connections = 2000\nmax_connections_per_address = 600\n"));
  const pid_t pid = hub_->process->pid();
  const std::string token = ReadonlyToken();
  ASSERT_NO_FATAL_FAILURE(OpenIdle(kIdle));  // 500 from each of 10 addresses
  for (int i = 0; i < 700; ++i) {            // one greedy address: 600 allowed
    const int fd = ConnectFrom("127.0.3.1", port_);
    ASSERT_GE(fd, 0);
    fds_.push_back(fd);
  }
  std::vector<int> polls = StartLongPolls(kAbandonedLongPolls, token);
  ASSERT_NO_FATAL_FAILURE(ExpectPromptAnswers("at the connection limit"));
  EXPECT_LT(OpenFdsOf(pid), 2000u + 100u) << "the hub went past max_connections";
  for (int fd : polls) ::close(fd);
  ExpectPromptAnswers("after the long-poll clients left");
  const std::string log = hub_->process->Log();
  EXPECT_NE(log.find("the limit (max_connections"), std::string::npos) << LogTail();
  EXPECT_NE(log.find("refusing a connection from 127.0.3.1"), std::string::npos) << LogTail();
}

}  // namespace
}  // namespace certfleet
