#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace certfleet::http {
namespace bhttp = boost::beast::http;

namespace {

Response CallGuarded(const Router::Route& route, const Request& request,
                     std::string_view server_name) {
  try {
    return Router::Call(route, request);
  } catch (const std::exception& e) {
    return HandlerFailed(server_name, request.method, request.path, e.what());
  } catch (...) {
    return HandlerFailed(server_name, request.method, request.path, "unknown exception");
  }
}

}  // namespace

std::optional<Response> AnswerFastPath(const Router& router, std::string_view server_name,
                                       const WireRequest& wire) {
  if (wire.method() != bhttp::verb::get && wire.method() != bhttp::verb::head) return std::nullopt;
  const std::string_view target(wire.target().data(), wire.target().size());
  std::string_view segment;
  const SegmentHandler* handler = router.FindFastPath(target, &segment);
  if (handler == nullptr) return std::nullopt;
  try {
    return (*handler)(segment);
  } catch (const std::exception& e) {
    return HandlerFailed(server_name, wire.method_string(), target, e.what());
  } catch (...) {
    return HandlerFailed(server_name, wire.method_string(), target, "unknown exception");
  }
}

Routed RouteRequest(const Router& router, std::string_view server_name, WireRequest wire,
                    std::string_view remote_address) {
  Routed routed;
  std::vector<std::string> segments;
  Result<Request> request = ToRequest(std::move(wire), remote_address, &segments);
  if (!request) {
    routed.response = Response::JsonError(400, "bad_request", request.error().message);
    return routed;
  }
  Router::Match match = router.Find(request->method, segments);
  if (match.status == 404) {
    routed.response = Response::NotFound("no route for " + request->method + " " + request->path);
    return routed;
  }
  if (match.status == 405) {
    routed.response = Response::JsonError(405, "method_not_allowed",
                                          request->method + " is not allowed on " + request->path);
    routed.response->headers.Set("Allow", match.allow);
    return routed;
  }
  request->path_params = std::move(match.params);
  if (Router::IsAsync(*match.route)) {
    routed.deferred = match.route;
  } else {
    routed.response = CallGuarded(*match.route, *request, server_name);
  }
  routed.request = std::move(*request);
  return routed;
}

Response HandlerFailed(std::string_view server_name, std::string_view method, std::string_view path,
                       std::string_view what) {
  spdlog::error("{}: handler for {} {} threw: {}", server_name, method, path, what);
  return Response::JsonError(500, "internal",
                             "internal error while handling " + std::string(method) + " " +
                                 std::string(path) + "; the server log has details");
}

}  // namespace certfleet::http
