// certfleet token create|list|revoke|rotate against a real hub.
#include <gmock/gmock.h>

#include "cli_fixture.h"

namespace certfleet::cli_test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class TokenCliTest : public CliTest {};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST_F(TokenCliTest, CreatePrintsTheSecretAloneAndTheIdOnStderr) {
  const std::string m = Unique("web");
  Ok({"machine", "add", m});
  CliRun run = Cli({"token", "create", "--role", "agent", "--machine", m});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(Trimmed(run.out).rfind("cf_", 0), 0u) << "stdout is the secret alone: " << run.out;
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1);
  EXPECT_EQ(run.err, "") << "in a script nothing else is printed, not even on stderr";
  EXPECT_EQ(Get("/api/v1/tokens")["items"].back()["name"], m + " agent")
      << "an agent token is named after its machine by default";
  const json created =
      json::parse(Ok({"token", "create", "--role", "readonly", "--name", "viewer", "-o", "json"}));
  EXPECT_TRUE(created["id"].is_number());
  EXPECT_EQ(created["secret"].get<std::string>().rfind("cf_", 0), 0u);
}

TEST_F(TokenCliTest, ListFiltersAndNeverShowsSecrets) {
  const std::string m = Unique("web");
  Ok({"machine", "add", m});
  const std::string secret = Trimmed(Ok({"token", "create", "--role", "agent", "--machine", m}));
  const std::string list = Ok({"token", "list", "--machine", m});
  EXPECT_THAT(list, HasSubstr(m + " agent"));
  EXPECT_EQ(list.find(secret), std::string::npos);
  EXPECT_EQ(json::parse(Ok({"token", "list", "--machine", m, "-o", "json"}))["items"].size(), 1u);
}

TEST_F(TokenCliTest, RevokeByNameAndMissingNamesAreNamed) {
  const std::string name = Unique("laptop");
  const std::string secret = Trimmed(Ok({"token", "create", "--role", "support", "--name", name}));
  EXPECT_EQ(Cli({"customer", "list"}, secret).exit_code, 0);
  EXPECT_THAT(Ok({"token", "revoke", name}), HasSubstr("revoked"));
  EXPECT_EQ(Cli({"customer", "list"}, secret).exit_code, 5) << "a revoked token is refused";
  CliRun missing = Cli({"token", "revoke", name});
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_THAT(missing.err, HasSubstr("no live token is named \"" + name + "\""));
}

TEST_F(TokenCliTest, RotateRevokesTheOldAgentTokenWhenAsked) {
  const std::string m = Unique("web");
  Ok({"machine", "add", m});
  const std::string old = Trimmed(Ok({"token", "create", "--role", "agent", "--machine", m}));
  CliRun kept = Cli({"token", "rotate", "--machine", m});
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  EXPECT_THAT(kept.err, HasSubstr("still work"));
  CliRun rotated = Cli({"token", "rotate", "--machine", m, "--revoke-old"});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_THAT(rotated.err, HasSubstr("revoked the older agent token(s)"));
  EXPECT_EQ(json::parse(Ok({"token", "list", "--machine", m, "-o", "json"}))["items"].size(), 1u);
  EXPECT_EQ(Cli({"status"}, old).exit_code, 5) << "the old agent token no longer works";
}

TEST_F(TokenCliTest, ASupportTokenMayNotManageTokens) {
  const std::string secret =
      Trimmed(Ok({"token", "create", "--role", "support", "--name", Unique("support")}));
  CliRun run = Cli({"token", "list"}, secret);
  EXPECT_EQ(run.exit_code, 5);
  EXPECT_THAT(run.err, HasSubstr("role support"));
}

}  // namespace
}  // namespace certfleet::cli_test
