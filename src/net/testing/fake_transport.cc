#include "net/testing/fake_transport.h"

namespace certfleet::net {

Result<HttpResponse> FakeTransport::Send(const HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      Result<HttpResponse> response = std::move(queue_.front());
      queue_.pop_front();
      return response;
    }
    handler = handler_;
  }
  // The handler runs unlocked so it may itself call Enqueue() or requests().
  if (handler) return handler(request);
  return Fail(ErrorCode::kInternal,
              "FakeTransport: unexpected request " + request.method + " " + request.url);
}

void FakeTransport::Enqueue(Result<HttpResponse> response) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(response));
}

void FakeTransport::EnqueueJson(int status, std::string body, HttpHeaders headers) {
  HttpResponse response{status, std::move(headers), std::move(body)};
  if (!response.headers.Get("Content-Type")) {
    response.headers.Add("Content-Type",
                         status >= 400 ? "application/problem+json" : "application/json");
  }
  Enqueue(std::move(response));
}

void FakeTransport::SetHandler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<HttpRequest> FakeTransport::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

size_t FakeTransport::request_count() const {
  std::lock_guard lock(mu_);
  return requests_.size();
}

size_t FakeTransport::pending() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

}  // namespace certfleet::net
