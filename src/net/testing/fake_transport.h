// FakeTransport: a scripted HttpTransport for unit tests.
//
// Responses are served first from the FIFO queue filled by Enqueue(), then from the
// handler, if one is set. A request with neither gives a kInternal error that names
// it, so a test sees exactly which unexpected request was made. Every request is
// recorded. Thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_transport.h"

namespace certfleet::net {

class FakeTransport final : public HttpTransport {
 public:
  using Handler = std::function<Result<HttpResponse>(const HttpRequest&)>;

  FakeTransport() = default;
  explicit FakeTransport(Handler handler) : handler_(std::move(handler)) {}

  Result<HttpResponse> Send(const HttpRequest& request) override;

  void Enqueue(Result<HttpResponse> response);
  // Shorthand: a response with `status`, `body` and "Content-Type"/extra headers.
  void EnqueueJson(int status, std::string body, HttpHeaders headers = {});
  void SetHandler(Handler handler);

  std::vector<HttpRequest> requests() const;
  size_t request_count() const;
  size_t pending() const;  // queued responses not yet consumed

 private:
  mutable std::mutex mu_;
  std::deque<Result<HttpResponse>> queue_;
  Handler handler_;
  std::vector<HttpRequest> requests_;
};

}  // namespace certfleet::net
