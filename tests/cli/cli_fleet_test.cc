// certfleet customer|machine …, exit codes, JSON errors, typos, --version, completion.
#include <gmock/gmock.h>

#include "cli_fixture.h"
#include "harness/subprocess.h"

namespace certfleet::cli_test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class FleetCliTest : public CliTest {};

TEST_F(FleetCliTest, CustomerShowSetAndDelete) {
  const std::string c = Unique("Müller Hosting");
  Ok({"customer", "add", c, "--contact", "ops@m.test", "--support-expires", "2027-03-31"});
  const std::string m = Unique("web");
  Ok({"machine", "add", m, "--customer", c});
  Ok({"domain", "add", Unique("cs") + ".example.com", "--customer", c, "--issuer", "manual"});
  const std::string shown = Ok({"customer", "show", c});
  EXPECT_THAT(shown, HasSubstr("support until: 2027-03-31"));
  EXPECT_THAT(shown, HasSubstr("machines:      " + m));
  EXPECT_THAT(shown, HasSubstr("domains:       1, 1 awaiting upload"));
  Ok({"customer", "set", c, "--contact", "new@m.test", "--no-support-expires"});
  const json after = Get("/api/v1/customers/" + c);
  EXPECT_EQ(after["contact"], "new@m.test");
  EXPECT_TRUE(after["support_expires"].is_null());
  CliRun in_use = Cli({"customer", "delete", c, "--yes"});
  EXPECT_EQ(in_use.exit_code, 4) << "a customer with machines and domains is not deleted";
}

TEST_F(FleetCliTest, ATableLinesUpUnicodeNamesByCharacters) {
  const std::string c = Unique("Ünïcödé GmbH");
  Ok({"customer", "add", c, "--contact", "x@u.test"});
  const std::string out = Ok({"customer", "list", "--search", c});
  auto code_points = [](std::string_view s) {
    std::size_t n = 0;
    for (char ch : s) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 ? 1 : 0;
    return n;
  };
  const std::string header = out.substr(0, out.find('\n'));
  const std::string row = out.substr(out.find('\n') + 1);
  ASSERT_NE(row.find(c), std::string::npos) << out;
  EXPECT_EQ(code_points(header.substr(0, header.find("CONTACT"))),
            code_points(row.substr(0, row.find("x@u.test"))))
      << "the contact column must start where its header does:\n"
      << out;
}

TEST_F(FleetCliTest, MachineShowAndDrain) {
  const std::string from = Unique("old"), to = Unique("new");
  Ok({"machine", "add", from, "--address", "10.1.1.1"});
  Ok({"machine", "add", to});
  const std::string d1 = Unique("dr") + ".example.com", d2 = Unique("dr") + ".example.com";
  Ok({"domain", "add", d1, "--machine", from, "--issuer", "manual"});
  Ok({"domain", "add", d2, "--machine", from, "--issuer", "manual"});
  EXPECT_THAT(Ok({"machine", "show", from}), HasSubstr("agent:         -, last seen never"));
  EXPECT_THAT(Ok({"machine", "drain", from, "--to", to, "--dry-run"}),
              HasSubstr(d1 + ": would move"));
  EXPECT_EQ(Get("/api/v1/domains/" + d1)["machines"], json({from})) << "dry run moved nothing";
  CliRun refused = Cli({"machine", "delete", from, "--yes"});
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_THAT(refused.err, HasSubstr("certfleet machine drain " + from + " --to OTHER"));
  EXPECT_THAT(Ok({"machine", "drain", from, "--to", to, "--yes"}), HasSubstr(d2 + ": moved"));
  EXPECT_EQ(Get("/api/v1/domains/" + d2)["machines"], json({to}));
  Ok({"machine", "delete", from, "--yes"});
}

TEST_F(FleetCliTest, ExitCodesTellWhatWentWrong) {
  const std::string c = Unique("dup");
  Ok({"customer", "add", c});
  EXPECT_EQ(Cli({"customer", "add", c}).exit_code, 4) << "already exists";
  EXPECT_EQ(Cli({"customer", "show", Unique("nobody")}).exit_code, 3) << "not found";
  EXPECT_EQ(Cli({"customer", "add", Unique("d"), "--support-expires", "31.12.2027"}).exit_code, 2)
      << "invalid input";
  EXPECT_EQ(Cli({"customer", "list"}, "cf_not-a-token").exit_code, 5) << "not signed in";
  auto unreachable = harness::RunCommand(
      {CERTFLEET_CLI, "--hub", "http://127.0.0.1:1", "--token", "x", "customer", "list"});
  ASSERT_TRUE(unreachable);
  EXPECT_EQ(unreachable->exit_code, 6) << unreachable->output;
  EXPECT_THAT(unreachable->output, HasSubstr("cannot reach the hub"));
  EXPECT_EQ(Cli({"customer", "frobnicate"}).exit_code, 2) << "usage";
}

TEST_F(FleetCliTest, JsonErrorsForScripts) {
  CliRun run = Cli({"customer", "show", "nobody-at-all", "-o", "json"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.out, "") << "stdout stays empty";
  const json error = json::parse(run.err, nullptr, false);
  ASSERT_TRUE(error.is_object()) << run.err;
  EXPECT_EQ(error["error"]["code"], "not_found");
  EXPECT_EQ(error["error"]["exit_code"], 3);
  EXPECT_THAT(error["error"]["message"].get<std::string>(), HasSubstr("nobody-at-all"));
}

TEST_F(FleetCliTest, TyposGetADidYouMean) {
  CliRun command = Cli({"domian", "list"});
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_THAT(command.err,
              HasSubstr("unknown command 'domian' for 'certfleet' (did you mean 'domain'?)"));
  CliRun sub = Cli({"domain", "lst"});
  EXPECT_THAT(sub.err, HasSubstr("unknown command 'lst' for 'certfleet domain' (did you mean "
                                 "'list'?); choices: add, list, show, set, delete, issue"));
  CliRun flag = Cli({"domain", "list", "--stauts", "failed"});
  EXPECT_EQ(flag.exit_code, 2);
  EXPECT_THAT(flag.err, HasSubstr("unknown flag --stauts for 'certfleet domain list' (did you "
                                  "mean --status?)"));
  CliRun missing = Cli({"customer"});
  EXPECT_THAT(missing.err, HasSubstr("'certfleet customer' needs a command: add, list, show, set, "
                                     "delete"));
}

TEST_F(FleetCliTest, GlobalFlagsWorkAfterTheCommand) {
  auto run = harness::RunCommand({CERTFLEET_CLI, "customer", "list", "-o", "json", "--hub",
                                  HubUrl(), "--token", admin_token_});
  ASSERT_TRUE(run);
  EXPECT_EQ(run->exit_code, 0) << run->output;
  EXPECT_TRUE(json::parse(run->output, nullptr, false).is_object()) << run->output;
}

TEST_F(FleetCliTest, TokenFileInsteadOfTokenOnTheCommandLine) {
  dir_->WriteFile("admin.token.copy", admin_token_ + "\n");
  auto run =
      harness::RunCommand({CERTFLEET_CLI, "--hub", HubUrl(), "--token-file",
                           (dir_->path() / "admin.token.copy").string(), "customer", "list"});
  ASSERT_TRUE(run);
  EXPECT_EQ(run->exit_code, 0) << run->output;
}

TEST_F(FleetCliTest, VersionAndCompletion) {
  auto version = harness::RunCommand({CERTFLEET_CLI, "--version"});
  ASSERT_TRUE(version);
  EXPECT_EQ(version->exit_code, 0);
  EXPECT_EQ(version->output.rfind("certfleet ", 0), 0u) << version->output;
  auto bash = harness::RunCommand({CERTFLEET_CLI, "completion", "bash"});
  ASSERT_TRUE(bash);
  EXPECT_THAT(bash->output, HasSubstr("complete -F _certfleet certfleet"));
  EXPECT_THAT(bash->output, HasSubstr("[\"certfleet domain\"]=\"add list show set delete issue"));
  dir_->WriteFile("completion.bash", bash->output);
  auto syntax = harness::RunCommand({"bash", "-n", (dir_->path() / "completion.bash").string()});
  ASSERT_TRUE(syntax);
  EXPECT_EQ(syntax->exit_code, 0) << "the bash script must parse: " << syntax->output;
  auto words =
      harness::RunCommand({"bash", "-c",
                           "source " + (dir_->path() / "completion.bash").string() +
                               "; COMP_WORDS=(certfleet domain l); COMP_CWORD=2; _certfleet; "
                               "echo \"${COMPREPLY[@]}\""});
  ASSERT_TRUE(words);
  EXPECT_EQ(words->output, "list\n");
  auto fish = harness::RunCommand({CERTFLEET_CLI, "completion", "fish"});
  ASSERT_TRUE(fish);
  EXPECT_THAT(fish->output,
              HasSubstr("complete -c certfleet -f -n '__fish_seen_subcommand_from domain'"));
}

}  // namespace
}  // namespace certfleet::cli_test
