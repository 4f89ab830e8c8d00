#include "notify/http_notifier.h"

#include <nlohmann/json.hpp>

#include "net/curl/curl_transport.h"
#include "net/http_headers.h"
#include "net/status_code.h"
#include "notify/payloads.h"

namespace certfleet::notify {
namespace {

constexpr std::size_t kBodyExcerpt = 200;

// Replaces every occurrence of the secret-bearing URL in a transport message.
std::string Redacted(std::string text, const std::string& url) {
  if (url.empty()) return text;
  const std::string safe = RedactUrl(url);
  for (auto pos = text.find(url); pos != std::string::npos; pos = text.find(url, pos)) {
    text.replace(pos, url.size(), safe);
    pos += safe.size();
  }
  return text;
}

std::string Excerpt(const std::string& body) {
  if (body.empty()) return "";
  std::string out = body.substr(0, kBodyExcerpt);
  for (char& c : out) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return ": " + out + (body.size() > kBodyExcerpt ? "..." : "");
}

}  // namespace

Result<std::unique_ptr<HttpNotifier>> HttpNotifier::Create(const ChannelConfig& channel,
                                                           Clock& clock) {
  net::CurlTransportOptions options;
  options.ca_file = channel.ca_file;
  options.connect_timeout = std::min(channel.timeout, Duration(std::chrono::seconds(10)));
  options.total_timeout = channel.timeout;
  options.max_response_bytes = 64 * 1024;
  auto transport = net::CurlTransport::Create(options);
  if (!transport) {
    return Fail(transport.error().WithContext("notify channel " + channel.name));
  }
  return std::make_unique<HttpNotifier>(channel, clock, std::move(*transport));
}

HttpNotifier::HttpNotifier(ChannelConfig channel, Clock& clock,
                           std::unique_ptr<net::HttpTransport> transport)
    : channel_(std::move(channel)), clock_(clock), transport_(std::move(transport)) {}

net::HttpRequest HttpNotifier::BuildRequest(const Message& message) const {
  net::HttpRequest request{.method = "POST", .url = channel_.url};
  request.headers.Add("Content-Type", "application/json");
  switch (channel_.type) {
    case ChannelType::kRocketChat:
      request.body =
          RocketChatPayload(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      break;
    case ChannelType::kSlack:
      request.body =
          SlackPayload(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      break;
    case ChannelType::kWebhook:
    case ChannelType::kEmail: {
      request.body =
          WebhookPayload(message).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      const std::string timestamp = std::to_string(
          std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch())
              .count());
      request.headers.Add("X-Certfleet-Timestamp", timestamp);
      request.headers.Add("X-Certfleet-Signature",
                          WebhookSignature(channel_.secret, timestamp, request.body));
      request.headers.Add("X-Certfleet-Delivery", message.id);
      break;
    }
  }
  return request;
}

Status HttpNotifier::Deliver(const Message& message) {
  auto response = transport_->Send(BuildRequest(message));
  if (!response) {
    Error e = response.error();
    // The transport's message names the method and URL; only the URL needs redacting.
    e.message = "notify channel " + channel_.name + ": " + Redacted(e.message, channel_.url);
    return Fail(std::move(e));
  }
  return CheckResponse(*response);
}

Status HttpNotifier::CheckResponse(const net::HttpResponse& response) const {
  if (response.status >= 200 && response.status < 300) return Ok();
  Error e{net::StatusToErrorCode(response.status),
          "notify channel " + channel_.name + ": " + RedactUrl(channel_.url) + " answered HTTP " +
              std::to_string(response.status) + Excerpt(response.body)};
  if (auto retry = response.headers.Get("Retry-After")) {
    if (auto delay = net::ParseRetryAfter(*retry, clock_.Now())) e.retry_after = *delay;
  }
  return Fail(std::move(e));
}

}  // namespace certfleet::notify
