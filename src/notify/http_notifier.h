// HttpNotifier: the Rocket.Chat, Slack and signed-JSON webhook channels (one class; they
// differ only in the body and headers, see payloads.h).
//
// Each POSTs JSON to the channel's URL through an net::HttpTransport (libcurl,
// keep-alive) with the channel's timeout. Status mapping: 2xx → Ok; 429 → kRateLimited
// (with Retry-After); 5xx → kUnavailable; 401/403 → kPermissionDenied; other → kInvalidArgument.
// Errors name the channel and the redacted URL (scheme and host only).
//
// Signed webhooks carry, besides the JSON body:
//   X-Certfleet-Timestamp: <unix seconds>
//   X-Certfleet-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//   X-Certfleet-Delivery: <Message::id>  (the same on every retry of one message)
//
// Thread safety: Deliver is safe for concurrent use (the transport is).
#pragma once

#include <memory>

#include "common/clock.h"
#include "net/http_transport.h"
#include "notify/channel_config.h"
#include "notify/notifier.h"

namespace certfleet::notify {

class HttpNotifier final : public Notifier {
 public:
  // With a libcurl transport built from the channel's timeout and ca_file
  // (kInvalidArgument when ca_file is unreadable).
  static Result<std::unique_ptr<HttpNotifier>> Create(const ChannelConfig& channel, Clock& clock);
  // With any transport (tests). `channel.type` must not be kEmail.
  HttpNotifier(ChannelConfig channel, Clock& clock, std::unique_ptr<net::HttpTransport> transport);

  Status Deliver(const Message& message) override;

  // The request Deliver would send (tests and `notify test --dry-run` style debugging).
  net::HttpRequest BuildRequest(const Message& message) const;

 private:
  Status CheckResponse(const net::HttpResponse& response) const;

  ChannelConfig channel_;
  Clock& clock_;
  std::unique_ptr<net::HttpTransport> transport_;
};

}  // namespace certfleet::notify
