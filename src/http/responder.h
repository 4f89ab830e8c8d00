// Responder: completes a request later, from any thread (long-poll, watch streams).
//
// An AsyncHandler (see router.h) receives a Responder instead of returning a Response.
// It may answer at once, or keep the Responder (copies share one request) and answer
// when something happens, e.g. the hub's `GET /api/v1/events?since=REV` answers when
// the event log passes REV:
//
//   router.AddAsync("GET", "/api/v1/events", [&](const Request& req, Responder r) {
//     if (auto events = log.Since(rev); !events.empty()) { r.Send(Json(events)); return; }
//     r.ExpireAfter(25s, Response::Json({{"events", json::array()}, {"revision", rev}}));
//     waiters.Add(rev, r);   // a later commit calls r.Send(...)
//   });
//
// Contract:
// - Thread-safe. Send/ExpireAfter/Done may be called from any thread, also after the
//   connection or the server is gone (then they do nothing).
// - Exactly one response is written per request: the first Send, or the timeout
//   response, or 503 when the server stops first. Later Sends return false, so a
//   waiter list can drop entries whose Done() is true.
// - Without ExpireAfter the server answers 504 after ServerOptions::deferred_timeout.
// - The server does not watch the socket while waiting: a client that disconnects is
//   noticed at the latest when the timeout fires. Keep timeouts well under the
//   client's and any proxy's read timeout (nginx: proxy_read_timeout 60s).
#pragma once

#include <chrono>
#include <memory>
#include <optional>

#include "http/response.h"

namespace certfleet::http {

class DeferredState;  // defined in deferred_state.h (server internals)

class Responder {
 public:
  explicit Responder(std::shared_ptr<DeferredState> state);

  // A Responder tied to no connection: Send stores the response for Sent(). For unit
  // tests of async handlers without a server.
  static Responder Detached();

  // Answers the request. Returns true when this call answered it; false when it was
  // already answered, timed out, or the server stopped.
  bool Send(Response response) const;

  // If nothing is sent within `timeout` from now, the server writes `on_timeout`.
  // Replaces an earlier deadline. Ignored once the request is done.
  void ExpireAfter(std::chrono::milliseconds timeout, Response on_timeout) const;

  // True once the request was answered, timed out or abandoned.
  bool Done() const;

  // The response given to Send on a Detached() responder; nullopt otherwise or before.
  std::optional<Response> Sent() const;

 private:
  std::shared_ptr<DeferredState> state_;
};

}  // namespace certfleet::http
