// The harness's real servers come up, answer, and go away (integration).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/pebble_server.h"
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

}  // namespace
}  // namespace certfleet::harness
