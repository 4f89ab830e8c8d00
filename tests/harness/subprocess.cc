#include "harness/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "harness/net.h"
#include "harness/temp_dir.h"

extern char** environ;

namespace certfleet::harness {
namespace {

// Everything the child needs, prepared before fork: after fork only async-signal-safe
// calls are allowed (the test process has threads).
struct ExecPlan {
  std::vector<std::string> env_storage;
  std::vector<char*> argv;
  std::vector<char*> envp;
};

ExecPlan MakePlan(SubprocessOptions& options) {
  ExecPlan plan;
  std::map<std::string, std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t eq = text.find('=');
    if (eq != std::string_view::npos) env[std::string(text.substr(0, eq))] = text.substr(eq + 1);
  }
  for (const auto& [name, value] : options.env) env[name] = value;
  for (const auto& [name, value] : env) plan.env_storage.push_back(name + "=" + value);
  for (std::string& arg : options.argv) plan.argv.push_back(arg.data());
  plan.argv.push_back(nullptr);
  for (std::string& entry : plan.env_storage) plan.envp.push_back(entry.data());
  plan.envp.push_back(nullptr);
  return plan;
}

[[noreturn]] void ExecChild(const ExecPlan& plan, int log_fd, int error_pipe, const char* dir,
                            bool kill_with_parent, pid_t parent) {
  if (kill_with_parent) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
  }
  ::setpgid(0, 0);  // own process group: a Ctrl-C on the test does not hit servers twice
  int null_fd = ::open("/dev/null", O_RDONLY);
  ::dup2(null_fd, 0);
  ::dup2(log_fd, 1);
  ::dup2(log_fd, 2);
  if (dir != nullptr && ::chdir(dir) != 0) {
    int err = errno;
    (void)::write(error_pipe, &err, sizeof err);
    ::_exit(127);
  }
  ::execvpe(plan.argv[0], plan.argv.data(), plan.envp.data());
  int err = errno;
  (void)::write(error_pipe, &err, sizeof err);
  ::_exit(127);
}

}  // namespace

Result<std::unique_ptr<Subprocess>> Subprocess::Start(SubprocessOptions options) {
  std::string program = options.argv.empty() ? "" : options.argv[0];
  if (program.empty()) return Fail(ErrorCode::kInvalidArgument, "Subprocess: empty argv");
  int log_fd = ::open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    return Fail(ErrorCode::kIo, "starting " + program + ": cannot open log " +
                                    options.log_file.string() + ": " + std::strerror(errno));
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    ::close(log_fd);
    return Fail(ErrorCode::kIo, "starting " + program + ": pipe failed");
  }
  std::unique_ptr<Subprocess> child(new Subprocess(std::move(options)));
  ExecPlan plan = MakePlan(child->options_);
  std::string dir = child->options_.working_dir.string();
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid == 0) {
    ExecChild(plan, log_fd, pipe_fds[1], dir.empty() ? nullptr : dir.c_str(),
              child->options_.kill_with_parent, parent);
  }
  ::close(log_fd);
  ::close(pipe_fds[1]);
  if (pid < 0) {
    ::close(pipe_fds[0]);
    return Fail(ErrorCode::kIo, "starting " + program + ": fork failed");
  }
  child->pid_ = pid;
  int exec_errno = 0;
  ssize_t n = ::read(pipe_fds[0], &exec_errno, sizeof exec_errno);  // EOF once exec succeeded
  ::close(pipe_fds[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    child->Reap(true);
    return Fail(ErrorCode::kIo, "starting " + program + ": " + std::strerror(exec_errno));
  }
  return child;
}

Subprocess::~Subprocess() { Stop(); }

std::string Subprocess::Log() const { return ReadFileOrEmpty(options_.log_file); }

bool Subprocess::Reap(bool block) {
  if (exit_code_) return true;
  int status = 0;
  pid_t done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  if (done != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

bool Subprocess::IsRunning() { return pid_ > 0 && !Reap(false); }

void Subprocess::Signal(int signal) {
  if (IsRunning()) ::kill(pid_, signal);
}

std::optional<int> Subprocess::Wait(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return exit_code_;
  WaitFor([&] { return Reap(false); }, timeout, std::chrono::milliseconds(2));
  return exit_code_;
}

int Subprocess::Stop(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return exit_code_.value_or(-1);
  if (!IsRunning()) return *exit_code_;
  ::kill(pid_, SIGTERM);
  if (!Wait(grace)) {
    ::kill(pid_, SIGKILL);
    Reap(true);
  }
  return *exit_code_;
}

Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout,
                                 const std::map<std::string, std::string>& env) {
  TempDir scratch("cmd");
  SubprocessOptions options;
  options.argv = argv;
  options.env = env;
  options.log_file = scratch / "output.log";
  options.kill_with_parent = false;  // may run on any thread; it is reaped below anyway
  auto child = Subprocess::Start(std::move(options));
  if (!child) return Fail(child.error());
  CommandResult result;
  auto code = (*child)->Wait(timeout);
  result.exit_code = code ? *code : (*child)->Stop(std::chrono::milliseconds(0));
  result.output = (*child)->Log();
  return result;
}

}  // namespace certfleet::harness
