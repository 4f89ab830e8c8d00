// RunShellCommand: runs an operator's command line (test_command, reload_command),
// capturing stdout + stderr, killing it after a timeout.
//
// A command of plain words (letters, digits, blanks and -_./:@,+%) is split on blanks
// and started directly with posix_spawn (PATH searched by the agent, as execvp would),
// saving a /bin/sh per command;
// anything else (quotes, $, |, ;, >, *, =, ~ ...) runs as `/bin/sh -c command`. Either
// way a missing program exits 127, as with the shell.
//
// Thread-safe (each call spawns its own child). The child gets no stdin, its own
// process group, and default SIGTERM/SIGINT/SIGPIPE dispositions.
#pragma once

#include <string>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::agent {

struct CommandOutcome {
  int exit_code = -1;  // 128 + N when killed by signal N
  std::string output;  // stdout + stderr, at most 64 KiB (the rest is dropped)
};

// kIo when the command cannot be started; kDeadlineExceeded (with the output so far in
// the message) when it ran past `timeout` and was killed. A non-zero exit is not an
// error here: see RunCheckedCommand.
Result<CommandOutcome> RunShellCommand(const std::string& command, Duration timeout);

// Ok when the command exits 0; otherwise kUnavailable "`<command>` exited with N: <output>".
Status RunCheckedCommand(const std::string& command, Duration timeout);

}  // namespace certfleet::agent
