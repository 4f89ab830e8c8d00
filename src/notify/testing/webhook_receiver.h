// Test receivers for notification channels, reusable by any test (notify's own, the hub's):
//
//   WebhookReceiver receiver;                         // http::Server on 127.0.0.1:<free>
//   channel.url = receiver.Url("/rocket");
//   harness::WaitFor([&] { return receiver.Count("/rocket") == 1; }, 30s);
//   json body = json::parse(receiver.Requests("/rocket")[0].body);
//
// WebhookReceiver captures every POST (any path) and answers 200 {"success": true}.
// BlackHole accepts TCP connections (kernel backlog) and never answers: a receiver that
// hangs. Both stop in their destructors. Thread safety: the accessors may be called from
// any thread while the server runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/headers.h"
#include "http/server.h"

namespace certfleet::notify::testing {

struct CapturedRequest {
  std::string path;
  http::Headers headers;
  std::string body;
};

class WebhookReceiver {
 public:
  // `listen` "127.0.0.1:0" picks a free port; a fixed one lets a test start the receiver
  // after the hub was configured with its URL. Throws std::runtime_error if it cannot
  // listen (test set-up only).
  explicit WebhookReceiver(const std::string& listen = "127.0.0.1:0");
  ~WebhookReceiver();

  std::string Url(const std::string& path) const;  // "http://127.0.0.1:PORT" + path
  std::vector<CapturedRequest> Requests(const std::string& path) const;
  std::size_t Count(const std::string& path) const;

 private:
  mutable std::mutex mu_;
  std::vector<CapturedRequest> captured_;
  std::unique_ptr<http::Server> server_;
};

class BlackHole {
 public:
  BlackHole();  // throws std::runtime_error if it cannot listen
  ~BlackHole();
  BlackHole(const BlackHole&) = delete;
  BlackHole& operator=(const BlackHole&) = delete;
  std::string Url(const std::string& path) const;

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

}  // namespace certfleet::notify::testing
