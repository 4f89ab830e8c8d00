#include "notify/testing/webhook_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace certfleet::notify::testing {

WebhookReceiver::WebhookReceiver(const std::string& listen) {
  http::Router router;
  router.Add("POST", "/{path...}", [this](const http::Request& r) {
    std::lock_guard lock(mu_);
    captured_.push_back({r.path, r.headers, r.body});
    return http::Response::Json(nlohmann::json{{"success", true}});
  });
  auto server = http::Server::Start({.listen = listen, .io_threads = 1}, std::move(router));
  if (!server) throw std::runtime_error("WebhookReceiver: " + server.error().message);
  server_ = std::move(*server);
}

WebhookReceiver::~WebhookReceiver() { server_->Stop(); }

std::string WebhookReceiver::Url(const std::string& path) const {
  return server_->BaseUrl() + path;
}

std::vector<CapturedRequest> WebhookReceiver::Requests(const std::string& path) const {
  std::lock_guard lock(mu_);
  std::vector<CapturedRequest> out;
  for (const auto& c : captured_) {
    if (c.path == path) out.push_back(c);
  }
  return out;
}

std::size_t WebhookReceiver::Count(const std::string& path) const { return Requests(path).size(); }

BlackHole::BlackHole() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      ::listen(fd_, 16) != 0 || ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd_ >= 0) ::close(fd_);
    throw std::runtime_error("BlackHole: cannot listen on 127.0.0.1");
  }
  port_ = ntohs(addr.sin_port);
}

BlackHole::~BlackHole() { ::close(fd_); }

std::string BlackHole::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace certfleet::notify::testing
