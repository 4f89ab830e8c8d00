#include "http/response.h"

#include <nlohmann/json.hpp>

namespace certfleet::http {

Response Response::Json(const nlohmann::json& value, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  // Stored text may predate the UTF-8 checks at the boundaries: replace, never throw.
  response.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::Text(std::string body, int status) {
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "text/plain; charset=utf-8");
  response.body = std::move(body);
  return response;
}

Response Response::JsonError(int status, std::string_view code, std::string_view message) {
  // Messages may carry bytes from the request; replace invalid UTF-8 instead of throwing.
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  Response response;
  response.status = status;
  response.headers.Set("Content-Type", "application/json");
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response Response::FromError(const Error& error) {
  return JsonError(StatusForError(error.code), ErrorCodeName(error.code), error.message);
}

Response Response::NotFound(std::string_view message) {
  return JsonError(404, "not_found", message);
}

Response Response::NoContent() {
  Response response;
  response.status = 204;
  return response;
}

int StatusForError(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kProtocol:
      return 502;
    case ErrorCode::kAcmeProblem:
      return 502;
    case ErrorCode::kIo:
      return 500;
    case ErrorCode::kCorrupt:
      return 500;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

}  // namespace certfleet::http
