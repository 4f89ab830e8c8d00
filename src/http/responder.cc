#include "http/responder.h"

#include "http/deferred_state.h"

namespace certfleet::http {

DeferredState::DeferredState(SteadyTime deadline, std::optional<Response> on_timeout,
                             std::string timeout_message, std::function<void()> wake)
    : deadline_(deadline),
      on_timeout_(std::move(on_timeout)),
      timeout_message_(std::move(timeout_message)),
      wake_(std::move(wake)) {}

bool DeferredState::Send(Response response) {
  std::lock_guard lock(mu_);
  if (done_) return false;
  done_ = true;
  response_ = std::move(response);
  Wake();
  return true;
}

void DeferredState::ExpireAfter(std::chrono::milliseconds timeout, Response on_timeout) {
  std::lock_guard lock(mu_);
  if (done_) return;
  deadline_ = std::chrono::steady_clock::now() + timeout;
  on_timeout_ = std::move(on_timeout);
  Wake();
}

bool DeferredState::Done() const {
  std::lock_guard lock(mu_);
  return done_;
}

std::optional<Response> DeferredState::Sent() const {
  std::lock_guard lock(mu_);
  return taken_ ? std::nullopt : response_;
}

std::optional<Response> DeferredState::Poll(bool abandon, SteadyTime now, SteadyTime* wait_until) {
  std::lock_guard lock(mu_);
  std::optional<Response> result;
  if (response_) {
    result = std::move(response_);
  } else if (abandon) {
    result = Response::JsonError(503, "unavailable", "the server is shutting down");
  } else if (now >= deadline_) {
    result = on_timeout_ ? std::move(*on_timeout_)
                         : Response::JsonError(504, "deadline_exceeded", timeout_message_);
  } else {
    *wait_until = deadline_;
    return std::nullopt;
  }
  done_ = true;
  taken_ = true;
  wake_ = nullptr;
  return result;
}

void DeferredState::Detach() {
  std::lock_guard lock(mu_);
  done_ = true;
  wake_ = nullptr;
}

void DeferredState::Wake() {
  if (wake_) wake_();
}

Responder::Responder(std::shared_ptr<DeferredState> state) : state_(std::move(state)) {}

Responder Responder::Detached() {
  return Responder(std::make_shared<DeferredState>(DeferredState::SteadyTime::max(),
                                                   Response::NoContent(), std::string(), nullptr));
}

bool Responder::Send(Response response) const { return state_->Send(std::move(response)); }

void Responder::ExpireAfter(std::chrono::milliseconds timeout, Response on_timeout) const {
  state_->ExpireAfter(timeout, std::move(on_timeout));
}

bool Responder::Done() const { return state_->Done(); }

std::optional<Response> Responder::Sent() const { return state_->Sent(); }

}  // namespace certfleet::http
