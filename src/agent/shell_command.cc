#include "agent/shell_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace certfleet::agent {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

[[noreturn]] void ExecChild(const std::string& command, int out_fd) {
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(out_fd, STDERR_FILENO);
  const int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
  ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
  ::_exit(127);
}

// Reads the child's output until EOF or the deadline; true on EOF.
bool DrainUntil(int fd, std::chrono::steady_clock::time_point deadline, std::string& output) {
  std::array<char, 4096> buffer{};
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
    const size_t room = kMaxOutput - std::min(kMaxOutput, output.size());
    output.append(buffer.data(), std::min(room, static_cast<size_t>(n)));
  }
}

int WaitExitCode(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

Result<CommandOutcome> RunShellCommand(const std::string& command, Duration timeout) {
  std::array<int, 2> pipe_fds{};
  if (::pipe2(pipe_fds.data(), O_CLOEXEC) != 0) {
    return Fail(ErrorCode::kIo, "cannot create a pipe for `" + command + "`: " + std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return Fail(ErrorCode::kIo, "cannot fork for `" + command + "`: " + std::strerror(errno));
  }
  if (pid == 0) {
    // A new process group, so a timeout kills the whole pipeline the shell started.
    ::setpgid(0, 0);
    ExecChild(command, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  CommandOutcome outcome;
  const bool finished = DrainUntil(pipe_fds[0], std::chrono::steady_clock::now() + timeout, outcome.output);
  ::close(pipe_fds[0]);
  if (!finished) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  outcome.exit_code = WaitExitCode(pid);
  if (!finished) {
    return Fail(ErrorCode::kDeadlineExceeded, "`" + command + "` did not finish within " +
                                                  std::to_string(timeout.count()) + " ms: " + outcome.output);
  }
  return outcome;
}

Status RunCheckedCommand(const std::string& command, Duration timeout) {
  auto outcome = RunShellCommand(command, timeout);
  if (!outcome) return Fail(outcome.error());
  if (outcome->exit_code == 0) return Ok();
  std::string output = outcome->output;
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return Fail(ErrorCode::kUnavailable, "`" + command + "` exited with " + std::to_string(outcome->exit_code) +
                                           (output.empty() ? "" : ": " + output));
}

}  // namespace certfleet::agent
