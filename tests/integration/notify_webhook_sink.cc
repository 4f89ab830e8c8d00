#include "notify_webhook_sink.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace certfleet::multihub {

WebhookSink::WebhookSink() {
  http::Router router;
  router.Add("POST", "/hook", [this](const http::Request& request) {
    WebhookDelivery delivery{std::chrono::steady_clock::now(), "", {}};
    auto body = nlohmann::json::parse(request.body, nullptr, false);
    if (body.is_object()) {
      delivery.message_id = body.value("id", "");
      for (const auto& notice : body.value("notices", nlohmann::json::array())) {
        if (!notice.is_object()) continue;
        delivery.notices.push_back({notice.value("kind", ""), notice.value("subject", "")});
      }
    }
    std::lock_guard lock(mu_);
    deliveries_.push_back(std::move(delivery));
    return http::Response{.status = 204};
  });
  auto server = http::Server::Start({.listen = "127.0.0.1:0", .io_threads = 1}, std::move(router));
  if (!server) throw std::runtime_error("webhook sink: " + server.error().message);
  server_ = std::move(*server);
}

std::string WebhookSink::Url() const { return server_->BaseUrl() + "/hook"; }

std::vector<WebhookDelivery> WebhookSink::Deliveries() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

}  // namespace certfleet::multihub
