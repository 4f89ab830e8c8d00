// Error and Result: the value types every fallible certfleet call returns.
//
// Expected failures (network, CA problems, bad input, conflicts) are returned as
// Result<T> = tl::expected<T, Error>; exceptions are reserved for start-up and are
// caught at the process boundaries. An Error's message is written for the person
// who has to fix the problem: it names the thing (domain, file, URL) and the step.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <utility>

namespace certfleet {

enum class ErrorCode {
  kInvalidArgument,   // the caller's input is wrong; retrying will not help
  kNotFound,          // the named thing does not exist
  kAlreadyExists,     // creating something that is already there
  kConflict,          // the state changed underneath (version mismatch, busy)
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // credentials fine, not allowed
  kUnavailable,       // a server could not be reached or answered 5xx; retry later
  kDeadlineExceeded,  // a timeout elapsed
  kRateLimited,       // the peer asked us to slow down (see Error::retry_after)
  kProtocol,          // a peer sent something malformed or unexpected
  kAcmeProblem,       // the CA answered with an RFC 8555 problem document
  kIo,                // local file system or OS failure
  kCorrupt,           // stored data failed an integrity check
  kInternal,          // a bug: an invariant did not hold
};

// Short stable name of a code, e.g. "invalid_argument"; used in logs and JSON errors.
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  // When the peer said when to try again (ACME rateLimited, HTTP 429/503 Retry-After).
  std::optional<std::chrono::milliseconds> retry_after = std::nullopt;

  // Returns a copy whose message is "<context>: <message>", to add the step or the
  // name of the thing being worked on as an error travels up.
  Error WithContext(std::string_view context) const;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

// Builds the unexpected value for `return Fail(ErrorCode::kX, "...")`.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

// Success value for Status-returning functions.
inline Status Ok() { return {}; }

}  // namespace certfleet
