#include "agent/reload_signal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

// A child that waits for signals; the test reads how it ended.
class SignalTarget {
 public:
  SignalTarget() {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::pause();
      ::_exit(0);
    }
  }
  ~SignalTarget() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  int WaitTermSignal() {  // the signal that ended it, or -1
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFSIGNALED(status) ? WTERMSIG(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
};

class ReloadSignalTest : public ::testing::Test {
 protected:
  std::filesystem::path PidFile(const std::string& text) {
    return dir_.WriteFile("nginx.pid", text);
  }
  harness::TempDir dir_{"agent-reload-signal"};
};

TEST_F(ReloadSignalTest, SendsTheSignalToThePidInTheFile) {
  SignalTarget target;
  ASSERT_GT(target.pid(), 0);
  auto sent = SignalPidFile(PidFile(std::to_string(target.pid()) + "\n"), SIGHUP);
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_EQ(target.WaitTermSignal(), SIGHUP)
      << "the process named by the pid file must receive SIGHUP";
}

TEST_F(ReloadSignalTest, AMissingFileIsAnErrorNamingIt) {
  auto sent = SignalPidFile(dir_.path() / "absent.pid", SIGHUP);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message.find("absent.pid"), std::string::npos) << sent.error().message;
}

TEST_F(ReloadSignalTest, GarbageIsRefusedWithoutSignallingAnything) {
  for (const std::string text : {"", "abc", "12abc", "-5", "0", "1", "99999999999999999999"}) {
    auto sent = SignalPidFile(PidFile(text), SIGHUP);
    ASSERT_FALSE(sent) << "\"" << text << "\" must not be taken for a process id";
    EXPECT_NE(sent.error().message.find("does not hold a process id"), std::string::npos)
        << sent.error().message;
  }
}

TEST_F(ReloadSignalTest, AStalePidFileSaysNoProcessIsRunning) {
  SignalTarget target;
  ASSERT_GT(target.pid(), 0);
  ::kill(target.pid(), SIGKILL);
  ASSERT_EQ(target.WaitTermSignal(), SIGKILL);  // reaped: the PID is free now
  auto sent = SignalPidFile(PidFile(std::to_string(target.pid())), SIGHUP);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().message.find("stale pid file"), std::string::npos) << sent.error().message;
}

// Review 2026-12-06, F14: nginx died, its pid file stayed, and the PID now belongs to an
// unrelated process (here: the target, started an hour after the file was written). SIGHUP
// would usually kill it.
TEST_F(ReloadSignalTest, APidReusedByAnotherProgramIsNotSignalled) {
  SignalTarget target;
  ASSERT_GT(target.pid(), 0);
  const auto file = PidFile(std::to_string(target.pid()));
  const auto hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count() -
                        3600;
  const struct timespec times[2] = {{hour_ago, 0}, {hour_ago, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
  auto sent = SignalPidFile(file, SIGHUP);
  ASSERT_FALSE(sent) << "a process younger than the pid file must not be signalled";
  EXPECT_NE(sent.error().message.find("stale pid file"), std::string::npos) << sent.error().message;
  int status = 0;
  EXPECT_EQ(::waitpid(target.pid(), &status, WNOHANG), 0) << "the unrelated process must live on";
}

}  // namespace
}  // namespace certfleet::agent
