#include "agent/reload_signal.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

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

}  // namespace
}  // namespace certfleet::agent
