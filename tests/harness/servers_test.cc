// The harness's real servers come up, answer, and go away (integration).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/pebble_server.h"
#include "harness/rabbitmq_server.h"
#include "http/server.h"

namespace certfleet::harness {
namespace {

using namespace std::chrono_literals;

TEST(PebbleServerTest, StartsAndServesDirectoryAndRoots) {
  PebbleOptions options;
  options.chain_length = 2;
  auto pebble = PebbleServer::Start(options);
  ASSERT_TRUE(pebble.has_value()) << pebble.error().message;
  auto dir = HttpGet((*pebble)->DirectoryUrl(), (*pebble)->CaFile());
  ASSERT_EQ(dir.status, 200) << dir.error;
  auto directory = nlohmann::json::parse(dir.body);
  EXPECT_TRUE(directory.contains("newNonce")) << dir.body;
  EXPECT_TRUE(directory.contains("newOrder")) << dir.body;
  auto root = (*pebble)->RootPem();
  ASSERT_TRUE(root.has_value()) << root.error().message;
  EXPECT_TRUE(root->starts_with("-----BEGIN CERTIFICATE-----")) << *root;
  auto intermediate = (*pebble)->IntermediatePem();
  ASSERT_TRUE(intermediate.has_value()) << intermediate.error().message;
  EXPECT_NE(*intermediate, *root);

  std::uint16_t port = (*pebble)->listen_port();
  (*pebble)->StopPebble();
  EXPECT_FALSE(CanConnect(port)) << "pebble still listens after StopPebble";
  auto restarted = (*pebble)->RestartPebble();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
  EXPECT_EQ(HttpGet((*pebble)->DirectoryUrl(), (*pebble)->CaFile()).status, 200);
  (*pebble)->Stop();
  EXPECT_FALSE(CanConnect(port));
}

// Gone, or exited and not reaped yet (state Z): either way it holds no socket.
bool Exited(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t comm_end = line.rfind(')');
  return comm_end != std::string::npos && comm_end + 2 < line.size() && line[comm_end + 2] == 'Z';
}

// The children of a process (an nginx master's workers) that have not exited, by PID.
std::vector<pid_t> Children(pid_t parent) {
  std::ifstream in("/proc/" + std::to_string(parent) + "/task/" + std::to_string(parent) +
                   "/children");
  std::vector<pid_t> children;
  for (pid_t child = 0; in >> child;) {
    if (!Exited(child)) children.push_back(child);
  }
  return children;
}

class NginxServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::Router router;
    router.Add("GET", "/.well-known/acme-challenge/{token}", [](const http::Request& req) {
      return http::Response::Text(std::string(req.PathParam("token")) + " for " +
                                  std::string(req.headers.Get("host").value_or("?")));
    });
    auto upstream = http::Server::Start({}, std::move(router));
    ASSERT_TRUE(upstream.has_value()) << upstream.error().message;
    upstream_ = std::move(*upstream);
    port_ = FreeLoopbackPort();
  }

  std::unique_ptr<http::Server> upstream_;
  std::uint16_t port_ = 0;
};

TEST_F(NginxServerTest, ProxiesTheChallengePathKeepingHost) {
  auto nginx =
      NginxServer::Start(NginxServer::ChallengeProxyServer(port_, upstream_->port()), {port_});
  ASSERT_TRUE(nginx.has_value()) << nginx.error().message;
  HttpRequest request;
  request.headers = {"Host: shop.example"};
  std::string base = "http://127.0.0.1:" + std::to_string(port_);
  auto proxied = HttpFetch(base + "/.well-known/acme-challenge/tok123", request);
  EXPECT_EQ(proxied.status, 200) << proxied.error << "\n" << (*nginx)->ErrorLog();
  EXPECT_EQ(proxied.body, "tok123 for shop.example");
  EXPECT_EQ(HttpGet(base + "/other").status, 404);
}

TEST_F(NginxServerTest, BrokenReloadIsRejectedAndOldConfigKeepsServing) {
  std::string good = NginxServer::ChallengeProxyServer(port_, upstream_->port());
  auto nginx = NginxServer::Start(good, {port_});
  ASSERT_TRUE(nginx.has_value()) << nginx.error().message;
  auto reloaded = (*nginx)->Reload("  server { listen 127.0.0.1:1 ; broken_directive; }\n");
  ASSERT_FALSE(reloaded.has_value());
  EXPECT_NE(reloaded.error().message.find("broken_directive"), std::string::npos)
      << reloaded.error().message;
  std::string url = "http://127.0.0.1:" + std::to_string(port_) + "/.well-known/acme-challenge/t";
  EXPECT_EQ(HttpGet(url).status, 200);
  ASSERT_TRUE((*nginx)->Reload(good).has_value());
  pid_t pid = (*nginx)->pid();
  (*nginx)->Quit();
  EXPECT_FALSE((*nginx)->IsRunning());
  EXPECT_NE(::kill(pid, 0), 0) << "nginx master still alive after Quit";
  EXPECT_FALSE(CanConnect(port_));
}

// Issue 13: until an old worker handles the master's shutdown message it accepts on the
// shared socket with the old configuration, so Reload returns only once it has exited.
TEST_F(NginxServerTest, ReloadReturnsOnlyOnceTheOldWorkerHasExited) {
  std::string good = NginxServer::ChallengeProxyServer(port_, upstream_->port());
  auto nginx = NginxServer::Start(good, {port_});
  ASSERT_TRUE(nginx.has_value()) << nginx.error().message;
  auto before = Children((*nginx)->pid());
  ASSERT_EQ(before.size(), 1u) << "worker_processes 1";
  ASSERT_TRUE((*nginx)->Reload(good).has_value());
  EXPECT_TRUE(Exited(before[0])) << "the old worker " << before[0] << " is still running";
  auto now = Children((*nginx)->pid());
  ASSERT_EQ(now.size(), 1u);
  ASSERT_NE(now[0], before[0]);

  // A worker that cannot handle the shutdown message (stopped) keeps Reload waiting.
  ASSERT_EQ(::kill(now[0], SIGSTOP), 0);
  auto stuck = (*nginx)->Reload(good, 1s);
  ::kill(now[0], SIGCONT);
  ASSERT_FALSE(stuck.has_value()) << "Reload returned while the old worker was stopped";
  EXPECT_EQ(stuck.error().code, ErrorCode::kDeadlineExceeded);
  EXPECT_NE(stuck.error().message.find(std::to_string(now[0]) + " still running"),
            std::string::npos)
      << stuck.error().message;
  EXPECT_TRUE(WaitFor([&] { return Exited(now[0]); }, 10s)) << "it leaves once it runs again";
}

// Issue 13: a port chosen free can be bound by another server before the node binds it;
// the node then halts at boot (here: {dist_port_already_used, P, not_erlang}) and is started
// again on fresh ports, instead of being waited for until a timeout.
TEST(RabbitMqServerTest, ANodeWhosePortWasTakenIsStartedAgainOnFreshPorts) {
  const int held = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(held, 0);
  const std::uint16_t taken = FreeLoopbackPort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(taken);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(held, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(held, 1), 0);
  auto broker = RabbitMqServer::Start({.start_timeout = 60s, .dist_port = taken});
  ::close(held);
  ASSERT_TRUE(broker.has_value()) << broker.error().message;
  EXPECT_TRUE(CanConnect((*broker)->amqp_port()));
  auto status = (*broker)->Ctl({"status"});
  ASSERT_TRUE(status.has_value()) << status.error().message;
  EXPECT_EQ(status->exit_code, 0) << "rabbitmqctl reaches the node: " << status->output;
}

}  // namespace
}  // namespace certfleet::harness
