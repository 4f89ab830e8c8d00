#include "agent/shell_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/utf8.h"

extern char** environ;

namespace certfleet::agent {
namespace {

constexpr size_t kMaxOutput = 64 * 1024;

// Characters that make a command line need a shell (quoting, expansion, redirection,
// pipelines, variable assignment). Anything else is split on blanks and exec'ed as is.
bool NeedsShell(const std::string& command) {
  static constexpr std::string_view kPlain = "-_./:@,+%";
  return std::any_of(command.begin(), command.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return !(std::isalnum(u) != 0 || c == ' ' || c == '\t' ||
             kPlain.find(c) != std::string_view::npos);
  });
}

std::vector<std::string> Argv(const std::string& command) {
  std::vector<std::string> words;
  if (!NeedsShell(command)) {
    std::istringstream in(command);
    for (std::string word; in >> word;) words.push_back(word);
  }
  if (words.empty()) return {"/bin/sh", "-c", command};
  return words;
}

// The program a PATH lookup finds for `name` (no '/'), or "" when none. posix_spawnp
// searches in the child: every PATH entry before the right one costs a failed execve
// there (its argument and environment copied, an mm set up and torn down), ~10 per
// `nginx -t` with a typical root PATH — issue 4: CPU that 200 agents pay on every pass.
// Resolved here with access(2) instead; the kernel checks the file again at exec.
std::string FindInPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path != nullptr ? path : "/bin:/usr/bin";  // glibc's default
  while (!dirs.empty()) {
    const size_t colon = std::min(dirs.find(':'), dirs.size());
    std::string candidate(dirs.substr(0, colon));
    candidate = (candidate.empty() ? "." : candidate) + "/" + name;
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    dirs.remove_prefix(std::min(colon + 1, dirs.size()));
  }
  return "";
}

// posix_spawn (vfork-like in glibc: no copy of the agent's page tables) with stdout +
// stderr into `out_fd`, stdin from /dev/null, in a new process group so a timeout kills
// a whole pipeline. Returns the spawn error (e.g. ENOENT), 0 on success.
int Spawn(const std::vector<std::string>& words, int out_fd, pid_t& pid) {
  std::vector<char*> argv;
  for (const auto& w : words) argv.push_back(const_cast<char*>(w.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  ::posix_spawn_file_actions_adddup2(&actions, out_fd, STDERR_FILENO);
  ::posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  ::posix_spawnattr_init(&attr);
  ::posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;  // the agent's SIGTERM/SIGINT handlers must not reach the child
  ::sigemptyset(&defaults);
  ::sigaddset(&defaults, SIGTERM);
  ::sigaddset(&defaults, SIGINT);
  ::sigaddset(&defaults, SIGPIPE);
  ::posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  ::sigemptyset(&none);
  ::posix_spawnattr_setsigmask(&attr, &none);
  ::posix_spawnattr_setflags(
      &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  // A name without '/' is looked up here; if that finds nothing, posix_spawnp reports it.
  const std::string program = words[0].find('/') == std::string::npos ? FindInPath(words[0]) : "";
  const int error =
      program.empty() ? ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ)
                      : ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), environ);
  ::posix_spawnattr_destroy(&attr);
  ::posix_spawn_file_actions_destroy(&actions);
  return error;
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
    return Fail(ErrorCode::kIo,
                "cannot create a pipe for `" + command + "`: " + std::strerror(errno));
  }
  pid_t pid = 0;
  const int spawn_error = Spawn(Argv(command), pipe_fds[1], pid);
  if (spawn_error != 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    if (spawn_error == ENOENT) return CommandOutcome{127, "`" + command + "`: command not found"};
    return Fail(ErrorCode::kIo, "cannot start `" + command + "`: " + std::strerror(spawn_error));
  }
  ::close(pipe_fds[1]);
  CommandOutcome outcome;
  const bool finished =
      DrainUntil(pipe_fds[0], std::chrono::steady_clock::now() + timeout, outcome.output);
  ::close(pipe_fds[0]);
  // Command output (nginx -t echoes bytes from config files) goes into reports and logs:
  // valid UTF-8 from here on, still at most kMaxOutput bytes.
  outcome.output = TruncateUtf8(outcome.output, kMaxOutput);
  if (!finished) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  outcome.exit_code = WaitExitCode(pid);
  if (!finished) {
    return Fail(ErrorCode::kDeadlineExceeded, "`" + command + "` did not finish within " +
                                                  std::to_string(timeout.count()) +
                                                  " ms: " + outcome.output);
  }
  return outcome;
}

Status RunCheckedCommand(const std::string& command, Duration timeout) {
  auto outcome = RunShellCommand(command, timeout);
  if (!outcome) return Fail(outcome.error());
  if (outcome->exit_code == 0) return Ok();
  std::string output = outcome->output;
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  return Fail(ErrorCode::kUnavailable, "`" + command + "` exited with " +
                                           std::to_string(outcome->exit_code) +
                                           (output.empty() ? "" : ": " + output));
}

}  // namespace certfleet::agent
