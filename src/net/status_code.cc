#include "net/status_code.h"

namespace certfleet::net {

ErrorCode StatusToErrorCode(int status) {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 408:
      return ErrorCode::kDeadlineExceeded;
    case 409:
      return ErrorCode::kConflict;
    case 429:
      return ErrorCode::kRateLimited;
    default:
      break;
  }
  if (status >= 200 && status < 300) return ErrorCode::kInternal;
  return status >= 500 && status < 600 ? ErrorCode::kUnavailable : ErrorCode::kProtocol;
}

}  // namespace certfleet::net
