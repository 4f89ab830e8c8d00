// The CLI's exit codes (documented in docs/cli.md), so scripts can tell "already exists"
// from "hub down" without reading English:
//   0  done
//   1  something needs attention (status), some items of a bulk action failed, or another
//      failure (a file, a bad answer)
//   2  usage or invalid input (a bad flag, or a value the hub refused)
//   3  not found                 5  not signed in, or the role may not do it
//   4  conflict / already exists 6  hub unreachable or failing (5xx, timeout)
//   70 internal error
#pragma once

#include "common/error.h"

namespace certfleet::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitAttention = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;
inline constexpr int kExitConflict = 4;
inline constexpr int kExitDenied = 5;
inline constexpr int kExitUnavailable = 6;
inline constexpr int kExitInternal = 70;

int ExitCodeFor(ErrorCode code);

}  // namespace certfleet::cli
