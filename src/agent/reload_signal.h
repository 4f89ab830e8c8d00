// SignalPidFile: the built-in reload (config reload_signal_pid_file): read a daemon's
// master PID from its pid file (nginx: /run/nginx.pid) and send it a signal (SIGHUP).
//
// Why: `nginx -s reload` starts a second nginx that parses the whole configuration
// again only to send that same SIGHUP; doing it directly saves that process.
//
// Errors (kUnavailable, naming the file): the file cannot be read, does not hold a
// positive decimal PID, or no such process exists (a stale file after nginx stopped), or
// the process started after the file was written (a stale file whose PID another program
// got since: it is not signalled);
// kPermissionDenied when the process belongs to another user. Thread-safe.
#pragma once

#include <filesystem>

#include "common/error.h"

namespace certfleet::agent {

Status SignalPidFile(const std::filesystem::path& pid_file, int signal_number);

}  // namespace certfleet::agent
