// certfleet domain add|list|show|set|delete|issue against a real hub.
#include <gmock/gmock.h>

#include "cli_fixture.h"
#include "harness/net.h"

namespace certfleet::cli_test {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class DomainCliTest : public CliTest {};

TEST_F(DomainCliTest, AddManualSaysWhatComesNextAndListShowsAwaitingUpload) {
  const std::string d = Unique("next") + ".example.com";
  EXPECT_THAT(Ok({"domain", "add", d, "--issuer", "manual"}),
              HasSubstr("next: upload its certificate: certfleet cert upload " + d));
  const std::string row = Ok({"domain", "list", "--search", d});
  EXPECT_THAT(row, HasSubstr("NAME"));
  EXPECT_THAT(row, HasSubstr("awaiting upload"));
}

TEST_F(DomainCliTest, ListFiltersSortsAndPagesPastTheLimit) {
  const std::string c = Unique("pager");
  Ok({"customer", "add", c});
  for (int i = 0; i < 5; ++i) {
    Ok({"domain", "add", "p" + std::to_string(i) + "." + c + ".example", "--customer", c,
        "--issuer", "manual"});
  }
  const std::string names =
      Ok({"domain", "list", "--customer", c, "-o", "name", "--limit", "2", "--offset", "2"});
  EXPECT_EQ(names, "p2." + c + ".example\np3." + c + ".example\n");
  CliRun page = Cli({"domain", "list", "--customer", c, "--limit", "2"});
  EXPECT_THAT(page.err, HasSubstr("2 of 5 domains (--all for every page, or the next page with "
                                  "--after "));
  // The printed cursor is the next page (issue 14: keyset paging, no offset scan).
  const auto at = page.err.find("--after ") + 8;
  const std::string cursor = page.err.substr(at, page.err.find(')', at) - at);
  EXPECT_EQ(
      Ok({"domain", "list", "--customer", c, "-o", "name", "--limit", "2", "--after", cursor}),
      "p2." + c + ".example\np3." + c + ".example\n");
  CliRun bad = Cli({"domain", "list", "--after", "garbage"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.err, HasSubstr("'after'"));
  EXPECT_EQ(
      json::parse(Ok({"domain", "list", "--customer", c, "--all", "-o", "json"}))["items"].size(),
      5u);
  EXPECT_EQ(Ok({"domain", "list", "--customer", c, "--sort", "name", "--desc", "-o", "name",
                "--limit", "1"}),
            "p4." + c + ".example\n");
}

TEST_F(DomainCliTest, ListCsvHasEveryColumnAndDaysLeft) {
  const std::string c = Unique("csv");
  Ok({"customer", "add", c});
  Ok({"domain", "add", "a." + c + ".example", "--customer", c, "--issuer", "manual", "--san",
      "www.a." + c + ".example"});
  const std::string csv = Ok({"domain", "list", "--customer", c, "-o", "csv"});
  EXPECT_THAT(csv, HasSubstr("NAME,CUSTOMER,STATE,ISSUER,EXPIRES,DAYS,MACHINES,OTHER NAMES,"));
  EXPECT_THAT(csv, HasSubstr("a." + c + ".example," + c + ",awaiting upload,manual,"));
  EXPECT_THAT(csv, HasSubstr("www.a." + c + ".example"));
}

TEST_F(DomainCliTest, SetMovesMachinesAndAddsNamesWithoutReadModifyWrite) {
  const std::string m1 = Unique("web"), m2 = Unique("web"), d = Unique("move") + ".example.com";
  Ok({"machine", "add", m1});
  Ok({"machine", "add", m2});
  Ok({"domain", "add", d, "--machine", m1, "--issuer", "manual"});
  EXPECT_THAT(Ok({"domain", "set", d, "--add-machine", m2, "--remove-machine", m1, "--add-san",
                  "WWW." + d}),
              HasSubstr("domain " + d + " updated: machines " + m2 + "; other names www." + d));
  const json shown = Get("/api/v1/domains/" + d);
  EXPECT_EQ(shown["machines"], json({m2}));
  EXPECT_EQ(shown["sans"], json({"www." + d}));
  CliRun by_san = Cli({"domain", "show", "www." + d});
  EXPECT_EQ(by_san.exit_code, 3) << by_san.err;
  EXPECT_THAT(by_san.err, HasSubstr("it is another name (SAN) of the domain " + d));
  EXPECT_EQ(Ok({"domain", "list", "--search", "WWW." + d, "-o", "name"}), d + "\n")
      << "--search finds a domain by its SAN";
}

TEST_F(DomainCliTest, SetWithNothingToChangeSaysWhichFlagsExist) {
  const std::string d = Unique("nothing") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  CliRun run = Cli({"domain", "set", d});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("nothing to change: give --add-machine"));
}

TEST_F(DomainCliTest, AnUnknownIssuerIsExplainedWithTheChoices) {
  CliRun run = Cli({"domain", "add", Unique("iss") + ".example.com", "--issuer", "letsencrypt"});
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_THAT(run.err, HasSubstr("Issuer: \"letsencrypt\" is not configured on this hub; choose "
                                 "one of: manual, le"));
}

TEST_F(DomainCliTest, DeleteAsksAndAScriptMustSayYes) {
  const std::string d = Unique("del") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  CliRun refused = Cli({"domain", "delete", d});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("pass --yes to confirm"));
  EXPECT_EQ(Get("/api/v1/domains/" + d)["name"], d) << "nothing was deleted";
  EXPECT_THAT(Ok({"domain", "delete", d, "--yes"}), HasSubstr("domain " + d + " deleted"));
  CliRun gone = Cli({"domain", "show", d});
  EXPECT_EQ(gone.exit_code, 3);
  EXPECT_EQ(gone.err, "certfleet: domain " + d + " not found\n");
}

TEST_F(DomainCliTest, IssueByFilterDryRunListsAndSkipsManualDomains) {
  const std::string c = Unique("bulk");
  Ok({"customer", "add", c});
  Ok({"domain", "add", "acme." + c + ".example", "--customer", c, "--issuer", "le"});
  Ok({"domain", "add", "manual." + c + ".example", "--customer", c, "--issuer", "manual"});
  const std::string out = Ok({"domain", "issue", "--customer", c, "--dry-run"});
  EXPECT_THAT(out, HasSubstr("acme." + c + ".example: would re-issue"));
  EXPECT_THAT(out, HasSubstr("manual." + c + ".example: skipped: issuer manual"));
  CliRun no_yes = Cli({"domain", "issue", "--customer", c});
  EXPECT_EQ(no_yes.exit_code, 2) << "two domains without --yes in a script: " << no_yes.out;
  EXPECT_THAT(Ok({"domain", "issue", "--customer", c, "--yes"}),
              HasSubstr("acme." + c + ".example: issuance requested"));
  CliRun nothing = Cli({"domain", "issue"});
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_THAT(nothing.err, HasSubstr("which domains?"));
}

TEST_F(DomainCliTest, IssueOnAManualDomainIsAConflictThatSaysWhatToDo) {
  const std::string d = Unique("man") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "manual"});
  CliRun run = Cli({"domain", "issue", d});
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_THAT(run.err, HasSubstr("certfleet cert upload " + d));
}

TEST_F(DomainCliTest, AFailedOrderShowsTheErrorInShowAndWide) {
  const std::string d = Unique("fail") + ".example.com";
  Ok({"domain", "add", d, "--issuer", "le"});
  // The issuer's CA is a closed port: the worker's first attempt fails within seconds.
  ASSERT_TRUE(harness::WaitFor([&] { return Get("/api/v1/domains/" + d)["status"] == "failed"; },
                               std::chrono::seconds(60), std::chrono::milliseconds(50)))
      << "the order never failed";
  const std::string shown = Ok({"domain", "show", d});
  EXPECT_THAT(shown, HasSubstr("state:        failed"));
  EXPECT_THAT(shown, HasSubstr("last error:"));
  EXPECT_THAT(shown, HasSubstr("next try:"));
  EXPECT_THAT(Ok({"domain", "list", "--search", d, "-o", "wide"}),
              HasSubstr("the last order failed"));
}

}  // namespace
}  // namespace certfleet::cli_test
