#include "agent/reload_signal.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

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

// When process `pid` started, in seconds since the epoch, from /proc (field 22 of
// /proc/PID/stat, in clock ticks since boot, plus "btime" of /proc/stat); nullopt when
// /proc does not tell.
std::optional<double> ProcessStartTime(pid_t pid) {
  std::ifstream stat_file("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) return std::nullopt;
  const auto paren = stat.rfind(')');  // the command name may hold spaces and ')'
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  int number = 2;  // fields 1 (pid) and 2 (comm) end at the parenthesis
  while (number < 22 && fields >> field) ++number;
  if (number != 22) return std::nullopt;
  const double ticks_since_boot = std::strtod(field.c_str(), nullptr);
  std::ifstream proc_stat("/proc/stat");
  std::string key;
  long long boot_time = -1;
  while (proc_stat >> key) {
    if (key == "btime") {
      proc_stat >> boot_time;
      break;
    }
  }
  const long ticks_per_second = ::sysconf(_SC_CLK_TCK);
  if (boot_time < 0 || ticks_per_second <= 0) return std::nullopt;
  return static_cast<double>(boot_time) + ticks_since_boot / static_cast<double>(ticks_per_second);
}

// Review 2026-12-06, F14: a pid file left behind by a dead nginx names a PID that another
// process may own by now; SIGHUP usually kills that process. A daemon writes its pid file
// after it started, so a process that started after the file was last written is not the
// one the file is about. The 2 s slack covers the second-granular boot time.
Status CheckNotReused(const std::filesystem::path& pid_file, pid_t pid) {
  struct stat info {};
  if (::stat(pid_file.c_str(), &info) != 0) return Ok();  // it was just read: best effort
  const auto started = ProcessStartTime(pid);
  if (!started) return Ok();
  const double written =
      static_cast<double>(info.st_mtim.tv_sec) + static_cast<double>(info.st_mtim.tv_nsec) / 1e9;
  if (*started <= written + 2.0) return Ok();
  return Fail(ErrorCode::kUnavailable,
              "not signalling process " + std::to_string(pid) + ": it started " +
                  std::to_string(static_cast<long long>(*started - written)) + " s after " +
                  pid_file.string() +
                  " was written, so it is another program that got the PID of a process that "
                  "ended (stale pid file: is nginx running?)");
}

}  // namespace

Status SignalPidFile(const std::filesystem::path& pid_file, int signal_number) {
  auto pid = ReadPid(pid_file);
  if (!pid) return Fail(pid.error());
  if (auto s = CheckNotReused(pid_file, *pid); !s) return s;
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
