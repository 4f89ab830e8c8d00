// StatusToErrorCode: the one map from an HTTP status to the project's ErrorCode, for every
// client of a certfleet or third-party HTTP API (the agent's and the CLI's hub clients, the
// notifiers' webhooks). One map, so the same answer means the same thing everywhere.
//
// ACME is the exception on purpose: a CA's errors are RFC 7807 problem documents, which
// acme/session.cc maps by their type (acme/problem.h); only a CA's non-problem answer falls
// back to "5xx = unavailable, else protocol".
#pragma once

#include "common/error.h"

namespace certfleet::net {

// The ErrorCode for a non-2xx `status`:
//   400, 413, 422 → kInvalidArgument (the request was wrong; retrying will not help)
//   401 → kUnauthenticated, 403 → kPermissionDenied, 404 → kNotFound, 409 → kConflict,
//   408 → kDeadlineExceeded, 429 → kRateLimited, 5xx → kUnavailable,
//   anything else (1xx, 3xx, other 4xx) → kProtocol.
// Pure; 2xx is not an error and gives kInternal (a caller bug).
ErrorCode StatusToErrorCode(int status);

}  // namespace certfleet::net
