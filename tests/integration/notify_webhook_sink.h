// WebhookSink: a real HTTP receiver (http::Server on 127.0.0.1, an ephemeral port) for the
// hubs' webhook notification channel. It answers every POST /hook with 204 and records, in
// arrival order, what each delivery said: its message id and its notices (kind + subject).
// It checks no signature (notify_delivery_test does): it is the witness of what was SENT.
//
// Thread safety: handlers run on the server's io threads; Deliveries() may be called from
// any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/server.h"

namespace certfleet::multihub {

struct WebhookDelivery {
  std::chrono::steady_clock::time_point at;
  std::string message_id;  // "" when the body was not the webhook JSON
  struct Notice {
    std::string kind;     // "issued", "deployed", …
    std::string subject;  // the domain name
  };
  std::vector<Notice> notices;
};

class WebhookSink {
 public:
  // Throws std::runtime_error when the server cannot start (test set-up only).
  WebhookSink();
  std::string Url() const;  // http://127.0.0.1:PORT/hook
  std::vector<WebhookDelivery> Deliveries() const;

 private:
  mutable std::mutex mu_;
  std::vector<WebhookDelivery> deliveries_;
  std::unique_ptr<http::Server> server_;  // last: stopped before the vector goes
};

}  // namespace certfleet::multihub
