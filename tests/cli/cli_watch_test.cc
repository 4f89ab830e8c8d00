// certfleet status, audit, events and issuer list against a real hub.
#include <gmock/gmock.h>

#include "cli_fixture.h"
#include "harness/net.h"
#include "harness/subprocess.h"

namespace certfleet::cli_test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class WatchCliTest : public CliTest {};

TEST_F(WatchCliTest, StatusExitsNonZeroAndListsWhatNeedsAttention) {
  const std::string d = Unique("st") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  CliRun run = Cli({"status"});
  EXPECT_EQ(run.exit_code, 1) << "something needs attention: " << run.out;
  EXPECT_THAT(run.out, HasSubstr("awaiting_upload"));
  EXPECT_THAT(run.out, HasSubstr(d));
  CliRun as_json = Cli({"status", "-o", "json"});
  EXPECT_EQ(as_json.exit_code, 1);
  const json status = json::parse(as_json.out);
  EXPECT_EQ(status["needs_attention"], true);
  EXPECT_GE(status["counts"]["awaiting_upload"].get<int>(), 1);
}

TEST_F(WatchCliTest, AuditSinceWithFiltersInWords) {
  const std::string d = Unique("au") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  const std::string out = Ok({"audit", "--since", "1h", "--domain", d});
  EXPECT_THAT(out, HasSubstr("added domain " + d));
  EXPECT_THAT(out, HasSubstr("bootstrap admin"));
  const json items =
      json::parse(Ok({"audit", "--since", "1h", "--domain", d, "-o", "json"}))["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& e : items) EXPECT_THAT(e["target"].get<std::string>(), HasSubstr(d));
  CliRun bad = Cli({"audit", "--since", "yesterday"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("use a span such as 30m, 24h or 7d"));
}

TEST_F(WatchCliTest, EventsSinceZeroPrintsTheHistoryAndFollowWaitsForMore) {
  const std::string d = Unique("ev") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  EXPECT_THAT(Ok({"events", "--since", "0"}), HasSubstr("domain.created  domain:" + d));
  const auto log = dir_->path() / "follow.log";
  auto follow =
      harness::Subprocess::Start({.argv = {CERTFLEET_CLI, "--hub", HubUrl(), "--token",
                                           admin_token_, "events", "--follow", "-o", "json"},
                                  .log_file = log});
  ASSERT_TRUE(follow) << follow.error().message;
  // The follower starts at "now", so a domain added before it asked the hub is not shown:
  // keep adding new ones until one arrives.
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        const std::string later = Unique("later") + ".example.com";
        Cli({"domain", "add", later, "--issuer", "manual"});
        return harness::ReadFileOrEmpty(log).find("\"subject\":\"domain:later-") !=
               std::string::npos;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200)))
      << harness::ReadFileOrEmpty(log);
  // F18: `ps` shows every user the arguments of a follower that runs for days.
  const std::string cmdline =
      harness::ReadFileOrEmpty("/proc/" + std::to_string((*follow)->pid()) + "/cmdline");
  EXPECT_NE(cmdline.find("--token"), std::string::npos) << "not the follower's command line";
  EXPECT_EQ(cmdline.find(admin_token_), std::string::npos)
      << "the token given with --token is readable in /proc/PID/cmdline";
  (*follow)->Stop();
}

TEST_F(WatchCliTest, IssuerListNamesTheDefault) {
  const std::string out = Ok({"issuer", "list"});
  EXPECT_THAT(out, HasSubstr("le      acme    yes"));
  EXPECT_THAT(out, HasSubstr("manual  manual"));
}

}  // namespace
}  // namespace certfleet::cli_test
