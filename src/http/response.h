// Response: what a handler answers, with helpers for the common shapes.
//
// Error bodies share one JSON shape across the hub's API:
//   {"error": {"code": "not_found", "message": "no route for GET /x"}}
// where `code` is a short stable name a client can switch on and `message` is for people.
#pragma once

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
