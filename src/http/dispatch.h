// What the server answers a parsed request with, apart from the connection it came on
// (server internals; include only from src/http/*.cc): the router's segment fast path,
// routing with its 400/404/405 answers, a synchronous handler, and the 500 for a handler
// that threw. session.cc reads and writes; this decides.
#pragma once

#include <optional>
#include <string_view>

#include "http/request.h"
#include "http/response.h"
#include "http/router.h"
#include "http/wire_request.h"

namespace certfleet::http {

// The router's segment fast path (router.h) for a GET or HEAD, answered without building a
// Request; nullopt when none applies. A handler's exception becomes HandlerFailed's 500.
std::optional<Response> AnswerFastPath(const Router& router, std::string_view server_name,
                                       const WireRequest& wire);

// A request routed: either answered (`response`), or an asynchronous route the caller
// runs with `request` (Router::CallAsync) because its answer may come later.
struct Routed {
  std::optional<Response> response;
  const Router::Route* deferred = nullptr;  // set when `response` is not
  Request request;
};

// Routes `wire`: 400 for a target that is not origin-form, 404/405 (with Allow) when no
// route takes it, else the synchronous handler's answer (its exception a 500) or the
// asynchronous route to run.
Routed RouteRequest(const Router& router, std::string_view server_name, WireRequest wire,
                    std::string_view remote_address);

// The 500 answer for a handler that threw `what`, logged as an error with the request.
Response HandlerFailed(std::string_view server_name, std::string_view method, std::string_view path,
                       std::string_view what);

}  // namespace certfleet::http
