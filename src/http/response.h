// Response: what a handler answers, with helpers for the common shapes.
//
// Error bodies share one JSON shape across the hub's API:
//   {"error": {"code": "not_found", "message": "no route for GET /x"}}
// where `code` is a short stable name a client can switch on and `message` is for people.
#pragma once

#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "common/error.h"
#include "http/headers.h"

namespace certfleet::http {

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // A body too large to hold in memory (e.g. /metrics of 100,000 domains): when set, `body`
  // is ignored and the body is produced by repeated calls, each appending its next part to
  // `part` (empty at each call) and returning whether more follows. Sent with
  // "Transfer-Encoding: chunked" (HTTP/1.0: until the connection closes). Runs on the io
  // thread, between socket writes, so a part should take well under a millisecond.
  std::function<bool(std::string& part)> body_stream;

  // `value` serialized as application/json.
  static Response Json(const nlohmann::json& value, int status = 200);
  // `body` as text/plain; charset=utf-8.
  static Response Text(std::string body, int status = 200);
  // The JSON error shape above.
  static Response JsonError(int status, std::string_view code, std::string_view message);
  // JSON error with the HTTP status that fits `error.code` (kNotFound → 404, ...).
  static Response FromError(const Error& error);
  static Response NotFound(std::string_view message = "not found");
  static Response NoContent();
};

// The HTTP status that fits an ErrorCode (kInvalidArgument → 400, kUnavailable → 503, ...).
int StatusForError(ErrorCode code);

}  // namespace certfleet::http
