// Subprocess: a child process for tests (servers, CLIs) that never outlives the test.
//
// Output (stdout + stderr) goes to a log file. The destructor stops the child (SIGTERM,
// then SIGKILL after a grace period) and reaps it; with kill_with_parent (default) the
// kernel also kills it if the test process dies first (PR_SET_PDEATHSIG).
//
// Not thread-safe: use one Subprocess from one thread. kill_with_parent fires when the
// *thread* that started the child exits, so start long-lived servers from the test's
// main thread (or turn it off).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace certfleet::harness {

struct SubprocessOptions {
  std::vector<std::string> argv;           // argv[0] is looked up in PATH
  std::map<std::string, std::string> env;  // added to (or overriding) our environment
  std::filesystem::path log_file;          // stdout + stderr (appended); required
  std::filesystem::path working_dir;       // empty: ours
  bool kill_with_parent = true;
};

class Subprocess {
 public:
  // Spawns the child. Fails (kIo) when the log cannot be opened or exec fails (e.g.
  // the program is not installed), naming the program.
  static Result<std::unique_ptr<Subprocess>> Start(SubprocessOptions options);
  ~Subprocess();  // Stop()
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_file() const { return options_.log_file; }
  std::string Log() const;  // the log so far

  bool IsRunning();
  // Sends `signal` to the child (by PID). No-op once it has exited.
  void Signal(int signal);
  // Waits for exit up to `timeout`; returns the exit code (128+N when killed by signal
  // N) or nullopt if it is still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL; returns the exit code. Idempotent.
  int Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

 private:
  explicit Subprocess(SubprocessOptions options) : options_(std::move(options)) {}
  bool Reap(bool block);

  SubprocessOptions options_;
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout + stderr
};

// Runs a command to completion (killing it after `timeout`) and returns its exit code
// and output. Fails (kIo) only when it cannot be started.
Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(30),
                                 const std::map<std::string, std::string>& env = {});

}  // namespace certfleet::harness
