#include "agent/shell_command.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

constexpr auto kTimeout = std::chrono::seconds(20);  // generous: CI machines are loaded

TEST(ShellCommandTest, PlainWordsAreSplitOnBlanksAndOutputIsCaptured) {
  auto outcome = RunShellCommand("echo  plain -n\twords", kTimeout);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 0);
  EXPECT_EQ(outcome->output, "plain -n words\n")
      << "a plain command must be split on blanks and exec'ed";
}

TEST(ShellCommandTest, ShellSyntaxStillGoesThroughTheShell) {
  auto outcome = RunShellCommand("echo one && echo \"two  three\" 1>&2; exit 3", kTimeout);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 3) << "`exit 3` in a shell command line must set the exit code";
  EXPECT_EQ(outcome->output, "one\ntwo  three\n")
      << "stdout and stderr of a shell pipeline must both be captured";
}

TEST(ShellCommandTest, AMissingProgramExits127LikeTheShell) {
  auto direct = RunShellCommand("certfleet-no-such-program --flag", kTimeout);
  ASSERT_TRUE(direct) << direct.error().message;
  EXPECT_EQ(direct->exit_code, 127);
  EXPECT_NE(direct->output.find("not found"), std::string::npos) << direct->output;
  auto checked = RunCheckedCommand("certfleet-no-such-program", kTimeout);
  ASSERT_FALSE(checked);
  EXPECT_NE(checked.error().message.find("exited with 127"), std::string::npos)
      << checked.error().message;
}

TEST(ShellCommandTest, APlainCommandIsFoundOnThePathInOrder) {
  harness::TempDir dir{"shell-path"};
  dir.WriteFile("first/hello", "#!/bin/sh\necho first\n");
  dir.WriteFile("second/hello", "#!/bin/sh\necho second\n");
  dir.WriteFile("notexec/hello", "#!/bin/sh\necho not executable\n");
  std::filesystem::create_directories(dir.path() / "adir" / "hello");  // a folder is no program
  for (const char* sub : {"first", "second"}) {
    std::filesystem::permissions(dir.path() / sub / "hello", std::filesystem::perms::owner_all);
  }
  const char* old_path = std::getenv("PATH");
  const std::string saved = old_path != nullptr ? old_path : "";
  const std::string path =
      (dir.path() / "adir").string() + ":" + (dir.path() / "notexec").string() + ":" +
      (dir.path() / "first").string() + ":" + (dir.path() / "second").string() + ":" + saved;
  ::setenv("PATH", path.c_str(), 1);
  auto outcome = RunShellCommand("hello", kTimeout);
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->output, "first\n")
      << "the first executable file on PATH must run, as with the shell";
}

TEST(ShellCommandTest, ExitCodeOfADirectCommandIsReported) {
  auto outcome = RunShellCommand("false", kTimeout);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 1);
}

TEST(ShellCommandTest, ATimeoutKillsTheCommand) {
  auto outcome = RunShellCommand("sleep 30", std::chrono::milliseconds(100));
  ASSERT_FALSE(outcome) << "a command past its timeout must fail";
  EXPECT_EQ(outcome.error().code, ErrorCode::kDeadlineExceeded) << outcome.error().message;
}

TEST(ShellCommandTest, TheChildReadsNoStdin) {
  auto outcome = RunShellCommand("cat", kTimeout);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 0) << "stdin must be /dev/null, so cat ends at once";
  EXPECT_EQ(outcome->output, "");
}

// Review 2026-12-06, F6: `nginx -t` echoes bytes from config files (Latin-1 here); the
// output goes into the deployment report, whose JSON encoder threw on it.
TEST(ShellCommandTest, OutputThatIsNotUtf8IsCapturedAsValidUtf8) {
  auto outcome = RunShellCommand(R"(printf 'unknown directive "caf\351"\n' >&2; exit 1)", kTimeout);
  ASSERT_TRUE(outcome) << outcome.error().message;
  EXPECT_EQ(outcome->exit_code, 1);
  EXPECT_EQ(outcome->output, "unknown directive \"caf\xEF\xBF\xBD\"\n");
}

}  // namespace
}  // namespace certfleet::agent
