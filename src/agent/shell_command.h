// RunShellCommand: runs an operator's command line (test_command, reload_command) with
// /bin/sh -c, capturing stdout + stderr, killing it after a timeout.
//
// Thread-safe (each call forks its own child). The child gets no stdin.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::agent {

struct CommandOutcome {
  int exit_code = -1;   // 128 + N when killed by signal N
  std::string output;   // stdout + stderr, at most 64 KiB (the rest is dropped)
};

// kIo when the command cannot be started; kDeadlineExceeded (with the output so far in
// the message) when it ran past `timeout` and was killed. A non-zero exit is not an
// error here: see RunCheckedCommand.
Result<CommandOutcome> RunShellCommand(const std::string& command, Duration timeout);

// Ok when the command exits 0; otherwise kUnavailable "`<command>` exited with N: <output>".
Status RunCheckedCommand(const std::string& command, Duration timeout);

}  // namespace certfleet::agent
