#include "cli/exit_codes.h"

namespace certfleet::cli {

int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return kExitUsage;
    case ErrorCode::kNotFound:
      return kExitNotFound;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
      return kExitConflict;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return kExitDenied;
    case ErrorCode::kUnavailable:
    case ErrorCode::kDeadlineExceeded:
    case ErrorCode::kRateLimited:
      return kExitUnavailable;
    case ErrorCode::kInternal:
      return kExitInternal;
    default:
      return kExitAttention;
  }
}

}  // namespace certfleet::cli
