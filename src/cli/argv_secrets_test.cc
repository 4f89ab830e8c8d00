#include "cli/argv_secrets.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certfleet::cli {
namespace {

// Runs HideTokenArguments over writable copies of `args` (argv[0] included) and returns them.
std::vector<std::string> Hidden(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  HideTokenArguments(static_cast<int>(argv.size()), argv.data());
  std::vector<std::string> out;
  for (char* arg : argv) out.emplace_back(arg);
  return out;
}

TEST(HideTokenArgumentsTest, TheValueAfterTokenIsOverwritten) {
  EXPECT_EQ(Hidden({"certfleet", "--hub", "http://h", "--token", "s3cret", "domain", "list"}),
            (std::vector<std::string>{"certfleet", "--hub", "http://h", "--token", "xxxxxx",
                                      "domain", "list"}));
}

TEST(HideTokenArgumentsTest, TheEqualsFormAndAFlagAfterTheSubcommandAreOverwritten) {
  EXPECT_EQ(Hidden({"certfleet", "events", "--follow", "--token=abc"}),
            (std::vector<std::string>{"certfleet", "events", "--follow", "--token=xxx"}));
}

TEST(HideTokenArgumentsTest, OtherFlagsAndArgumentsAfterDoubleDashStay) {
  const std::vector<std::string> args = {"certfleet", "--token-file", "/etc/t",  "hook",
                                         "run",       "--",           "--token", "keep"};
  EXPECT_EQ(Hidden(args), args);
}

TEST(HideTokenArgumentsTest, ATrailingTokenFlagWithoutValueIsLeftAlone) {
  EXPECT_EQ(Hidden({"certfleet", "--token"}), (std::vector<std::string>{"certfleet", "--token"}));
}

}  // namespace
}  // namespace certfleet::cli
