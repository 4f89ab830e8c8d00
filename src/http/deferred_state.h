// DeferredState: the shared state behind a Responder (server internals).
//
// One per deferred request. Handlers' threads write the response; the connection's
// coroutine polls it when woken. `wake` is installed by the connection and posts to its
// executor; it is cleared under the lock when the request finishes, so nobody posts to
// an executor that may be gone.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "http/response.h"

namespace certfleet::http {

class DeferredState {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  // `on_timeout` is written when the deadline passes first. Without one (the server's own
  // deferred_timeout), a 504 "deadline_exceeded" saying `timeout_message` is built only
  // then: most requests are answered in time, or replace it with ExpireAfter (a long poll),
  // so building it for each request was wasted work (issue 16).
  DeferredState(SteadyTime deadline, std::optional<Response> on_timeout,
                std::string timeout_message, std::function<void()> wake);

  bool Send(Response response);
  void ExpireAfter(std::chrono::milliseconds timeout, Response on_timeout);
  bool Done() const;
  std::optional<Response> Sent() const;

  // Connection side. Returns the response to write when the request is finished:
  // the one sent, the timeout response once `now` passed the deadline, or, when
  // `abandon` is set (server stopping), a 503. Otherwise sets `*wait_until`.
  std::optional<Response> Poll(bool abandon, SteadyTime now, SteadyTime* wait_until);

  // Connection side: the connection is gone without answering (its coroutine was
  // destroyed). Marks the request done and drops `wake`, which refers to its executor.
  void Detach();

 private:
  void Wake();  // requires mu_

  mutable std::mutex mu_;
  bool done_ = false;
  bool taken_ = false;
  std::optional<Response> response_;
  SteadyTime deadline_;
  std::optional<Response> on_timeout_;
  std::string timeout_message_;  // for the 504 when on_timeout_ is empty
  std::function<void()> wake_;
};

}  // namespace certfleet::http
