#include "agent/shell_command.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace certfleet::agent
