#include "agent/reload_signal.h"

#include <signal.h>
#include <sys/types.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>

namespace certfleet::agent {
namespace {

// The PID on the file's first line; surrounding blanks and the newline are allowed.
Result<pid_t> ReadPid(const std::filesystem::path& pid_file) {
  std::ifstream in(pid_file);
  if (!in) {
    return Fail(ErrorCode::kUnavailable, "cannot read the pid file " + pid_file.string() + ": " +
                                             std::strerror(errno) + " (is nginx running?)");
  }
  std::string text;
  std::getline(in, text, '\0');
  const auto first = text.find_first_not_of(" \t\r\n");
  const auto last = text.find_last_not_of(" \t\r\n");
  const std::string digits = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  long long pid = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), pid);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || pid <= 1 ||
      pid > 0x3fffffff) {
    return Fail(ErrorCode::kUnavailable, "the pid file " + pid_file.string() +
                                             " does not hold a process id (got \"" +
                                             digits.substr(0, 40) + "\")");
  }
  return static_cast<pid_t>(pid);
}

}  // namespace

Status SignalPidFile(const std::filesystem::path& pid_file, int signal_number) {
  auto pid = ReadPid(pid_file);
  if (!pid) return Fail(pid.error());
  if (::kill(*pid, signal_number) == 0) return Ok();
  const int error = errno;
  const std::string target = "process " + std::to_string(*pid) + " from " + pid_file.string();
  if (error == ESRCH) {
    return Fail(ErrorCode::kUnavailable,
                "no " + target + " is running (stale pid file: is nginx running?)");
  }
  if (error == EPERM) {
    return Fail(ErrorCode::kPermissionDenied,
                "not allowed to signal " + target + " (run the agent as its user)");
  }
  return Fail(ErrorCode::kUnavailable, "cannot signal " + target + ": " + std::strerror(error));
}

}  // namespace certfleet::agent
