#include "harness/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <set>

#include "harness/net.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {
namespace {

using namespace std::chrono_literals;

TEST(SubprocessTest, CapturesOutputAndExitCodeAndEnvironment) {
  TempDir dir;
  SubprocessOptions options;
  options.argv = {"sh", "-c", "echo \"hello $GREETING\"; echo oops >&2; exit 3"};
  options.env["GREETING"] = "world";
  options.log_file = dir / "out.log";
  auto child = Subprocess::Start(options);
  ASSERT_TRUE(child.has_value()) << child.error().message;
  EXPECT_EQ((*child)->Wait(5s), 3);
  EXPECT_EQ((*child)->Log(), "hello world\noops\n");
  EXPECT_FALSE((*child)->IsRunning());
}

TEST(SubprocessTest, MissingProgramFailsWithItsName) {
  TempDir dir;
  SubprocessOptions options;
  options.argv = {"certfleet-no-such-program"};
  options.log_file = dir / "out.log";
  auto child = Subprocess::Start(options);
  ASSERT_FALSE(child.has_value());
  EXPECT_NE(child.error().message.find("certfleet-no-such-program"), std::string::npos);
}

TEST(SubprocessTest, StopEscalatesToSigkillWhenSigtermIsIgnored) {
  TempDir dir;
  SubprocessOptions options;
  options.argv = {"sh", "-c", "trap '' TERM; echo ready; while true; do sleep 0.05; done"};
  options.log_file = dir / "out.log";
  auto child = Subprocess::Start(options);
  ASSERT_TRUE(child.has_value());
  ASSERT_TRUE(WaitFor([&] { return (*child)->Log() == "ready\n"; }, 5s));
  auto started = std::chrono::steady_clock::now();
  int code = (*child)->Stop(200ms);
  EXPECT_EQ(code, 128 + SIGKILL);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_FALSE((*child)->IsRunning());
}

TEST(SubprocessTest, DestructorKillsTheChild) {
  TempDir dir;
  pid_t pid = -1;
  {
    SubprocessOptions options;
    options.argv = {"sleep", "30"};
    options.log_file = dir / "out.log";
    auto child = Subprocess::Start(options);
    ASSERT_TRUE(child.has_value());
    pid = (*child)->pid();
    EXPECT_TRUE((*child)->IsRunning());
  }
  EXPECT_NE(::kill(pid, 0), 0) << "the child outlived its Subprocess (orphan)";
}

TEST(SubprocessTest, RunCommandReturnsOutput) {
  auto result = RunCommand({"sh", "-c", "printf abc; exit 1"});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->exit_code, 1);
  EXPECT_EQ(result->output, "abc");
}

TEST(NetTest, FreeLoopbackPortIsBindableAndWaitForTimesOut) {
  std::uint16_t port = FreeLoopbackPort();
  EXPECT_GT(port, 0);
  EXPECT_FALSE(CanConnect(port)) << "nothing should listen on a fresh free port";
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(WaitFor([] { return false; }, 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - started, 50ms);
  EXPECT_TRUE(WaitFor([] { return true; }, 0ms));
}

// CI saw Pebble fail "bind: address already in use" on ports the kernel had handed out as free:
// they came from the ephemeral range, where a test's thousands of client connections took them.
TEST(NetTest, FreeLoopbackPortsAreBelowTheEphemeralRangeAndSpread) {
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  int low = 0;
  ASSERT_TRUE(range >> low);
  std::set<std::uint16_t> seen;
  for (int i = 0; i < 50; ++i) {
    const std::uint16_t port = FreeLoopbackPort();
    EXPECT_LT(port, low) << "no outgoing connection may take it";
    EXPECT_GE(port, 1024);
    seen.insert(port);
  }
  EXPECT_GT(seen.size(), 40u) << "chosen at random, so parallel tests rarely pick the same";
}

TEST(TempDirTest, RemovesItself) {
  std::filesystem::path path;
  {
    TempDir dir("selftest");
    path = dir.path();
    dir.WriteFile("a/b.txt", "x");
    EXPECT_EQ(ReadFileOrEmpty(dir / "a/b.txt"), "x");
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace certfleet::harness
