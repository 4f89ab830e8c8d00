// The challenge proxy exactly as docs/nginx.md §1 documents it, on a real nginx, in front
// of the hub's challenge listener (review 2026-12-06, F4): customer hosts reach the
// HTTP-01 answers and nothing else of the hub.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/temp_dir.h"

namespace certfleet {
namespace {

using namespace std::chrono_literals;

// The first ```nginx block of docs/nginx.md: the challenge proxy.
std::string DocumentedChallengeProxy() {
  std::ifstream in(std::string(CERTFLEET_DOCS_DIR) + "/nginx.md");
  std::string line;
  std::string block;
  bool inside = false;
  while (std::getline(in, line)) {
    if (!inside && line == "```nginx") {
      inside = true;
    } else if (inside && line.rfind("```", 0) == 0) {
      break;
    } else if (inside) {
      block += line + "\n";
    }
  }
  return block;
}

// Sends `request` as written (no client normalises the path) and returns the answer.
std::string Raw(std::uint16_t port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return "<connect failed>";
  }
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

std::string Get(const std::string& target, const std::string& token = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n" +
         (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
}

class HubChallengeListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_port_ = harness::FreeLoopbackPort();
    challenge_port_ = harness::FreeLoopbackPort();
    std::ofstream(dir_.path() / "hub.toml")
        << "data_dir = \"" << (dir_.path() / "data").string()
        << "\"\nlisten = \"127.0.0.1:" << api_port_
        << "\"\nchallenge_listen = \"127.0.0.1:" << challenge_port_ << "\"\n";
    auto hub =
        harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                  .config_file = dir_.path() / "hub.toml",
                                  .data_dir = dir_.path() / "data",
                                  .base_url = "http://127.0.0.1:" + std::to_string(api_port_),
                                  .log_file = dir_.path() / "hub.log"});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
    // The documented block with its placeholders filled in: HUB is the challenge listener,
    // port 80 becomes a free loopback port (no IPv6 listener in the test).
    nginx_port_ = harness::FreeLoopbackPort();
    std::string block = DocumentedChallengeProxy();
    ASSERT_NE(block.find("proxy_pass http://HUB;"), std::string::npos) << block;
    block = std::regex_replace(block, std::regex("http://HUB"),
                               "http://127.0.0.1:" + std::to_string(challenge_port_));
    block = std::regex_replace(block, std::regex(R"(\s*listen \[::\]:80[^;]*;)"), "");
    block = std::regex_replace(block, std::regex(R"(listen 80)"),
                               "listen 127.0.0.1:" + std::to_string(nginx_port_));
    auto nginx = harness::NginxServer::Start(block, {nginx_port_});
    ASSERT_TRUE(nginx) << nginx.error().message << "\n" << block;
    nginx_ = std::move(*nginx);
  }

  harness::TempDir dir_{"hub-challenge"};
  std::unique_ptr<harness::HubProcess> hub_;
  std::unique_ptr<harness::NginxServer> nginx_;
  std::uint16_t api_port_ = 0, challenge_port_ = 0, nginx_port_ = 0;
};

TEST_F(HubChallengeListenerTest, TheDocumentedProxyReachesTheHubsChallengeAnswers) {
  const std::string answer = Raw(nginx_port_, Get("/.well-known/acme-challenge/unknownToken"));
  EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\n\r\nnot found\n"), std::string::npos)
      << "the hub's own plain-text 404 must come back through nginx (not nginx's page):\n"
      << answer;
}

TEST_F(HubChallengeListenerTest, ApiPathsThroughTheProxyOrOnTheChallengeListenerGet404) {
  const std::string admin = hub_->admin_token;
  ASSERT_NE(Raw(api_port_, Get("/api/v1/domains", admin)).find("200 OK"), std::string::npos)
      << "the API itself works (on its own listener)";
  // A customer host can reach the challenge listener directly: it must serve nothing else.
  for (const std::string target :
       {"/api/v1/domains", "/api/v1/agent/desired", "/healthz", "/ui/", "/ui/login", "/"}) {
    const std::string answer = Raw(challenge_port_, Get(target, admin));
    EXPECT_EQ(answer.rfind("HTTP/1.1 404", 0), 0u) << target << ":\n" << answer;
  }
  const std::string post =
      Raw(challenge_port_,
          "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + admin +
              "\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{\"name\":\"c1\"}");
  EXPECT_EQ(post.rfind("HTTP/1.1 404", 0), 0u) << post;
  // Through nginx: paths that try to leave the proxied location never reach the API.
  for (const std::string target :
       {"/.well-known/acme-challenge/../../api/v1/domains",
        "/.well-known/acme-challenge/%2e%2e/%2e%2e/api/v1/domains",
        "/.well-known/acme-challenge/..%2f..%2fapi%2fv1%2fdomains",
        "/.well-known/acme-challenge/x/../../../api/v1/domains", "/api/v1/domains"}) {
    const std::string answer = Raw(nginx_port_, Get(target, admin));
    EXPECT_EQ(answer.find("\"items\""), std::string::npos) << target << ":\n" << answer;
    EXPECT_EQ(answer.find("200 OK"), std::string::npos) << target << ":\n" << answer;
  }
  const std::string proxied =
      Raw(nginx_port_, Get("/.well-known/acme-challenge/api/v1/domains", admin));
  EXPECT_EQ(proxied.rfind("HTTP/1.1 404", 0), 0u) << proxied;
}

}  // namespace
}  // namespace certfleet
