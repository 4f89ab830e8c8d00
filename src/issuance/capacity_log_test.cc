#include "issuance/capacity_log.h"

#include <gtest/gtest.h>

namespace certfleet::issuance {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

const TimePoint kStart = TimePoint(std::chrono::seconds(1'800'000'000));
constexpr Duration kScan = minutes(15);  // notify::ServiceOptions::scan_interval

CapacityWarning Warning(const std::string& issuer, bool critical = false) {
  return {issuer, critical, "renewals due within 24 h: 2600 (0 overdue) …"};
}

// The lines of every scan from `from` for `scans` scans with the same warnings.
std::vector<CapacityLogLine> Scans(CapacityLog& log, const std::vector<CapacityWarning>& warnings,
                                   TimePoint from, int scans) {
  std::vector<CapacityLogLine> all;
  for (int i = 0; i < scans; ++i) {
    for (auto& line : log.Update(warnings, from + kScan * i)) all.push_back(std::move(line));
  }
  return all;
}

TEST(CapacityLogTest, AWarningThatHoldsIsLoggedWhenItStartsNotAtEveryScan) {
  CapacityLog log;
  const auto lines = Scans(log, {Warning("letsencrypt")}, kStart, 96 - 1);  // a day less a scan
  ASSERT_EQ(lines.size(), 1u) << "a warning that holds was logged again within the day";
  EXPECT_TRUE(lines[0].warning);
  EXPECT_EQ(lines[0].text, Warning("letsencrypt").Message());
}

TEST(CapacityLogTest, AWarningThatHoldsIsRemindedOnceADay) {
  CapacityLog log;
  const auto lines = Scans(log, {Warning("letsencrypt")}, kStart, 96 * 2);  // two days
  ASSERT_EQ(lines.size(), 2u) << "start + one reminder after 24 h";
  EXPECT_NE(lines[1].text.find("the capacity warning of issuer letsencrypt still holds (since "),
            std::string::npos)
      << lines[1].text;
}

TEST(CapacityLogTest, ALevelChangeIsLoggedAtOnce) {
  CapacityLog log;
  ASSERT_EQ(log.Update({Warning("letsencrypt")}, kStart).size(), 1u);
  const auto critical = log.Update({Warning("letsencrypt", true)}, kStart + kScan);
  ASSERT_EQ(critical.size(), 1u) << "a warning that became critical was not logged";
  EXPECT_NE(critical[0].text.find("is now critical"), std::string::npos) << critical[0].text;
  EXPECT_TRUE(log.Update({Warning("letsencrypt", true)}, kStart + kScan * 2).empty());
  const auto back = log.Update({Warning("letsencrypt")}, kStart + kScan * 3);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_NE(back[0].text.find("is now a warning"), std::string::npos) << back[0].text;
}

TEST(CapacityLogTest, AClearedWarningIsLoggedOnceAsInformation) {
  CapacityLog log;
  log.Update({Warning("letsencrypt")}, kStart);
  const auto cleared = Scans(log, {}, kStart + kScan, 10);
  ASSERT_EQ(cleared.size(), 1u) << "the end of the warning must be logged once";
  EXPECT_FALSE(cleared[0].warning);
  EXPECT_NE(cleared[0].text.find("issuer letsencrypt: the order pacing keeps up"),
            std::string::npos)
      << cleared[0].text;
  const auto again = log.Update({Warning("letsencrypt")}, kStart + hours(5));
  ASSERT_EQ(again.size(), 1u) << "a warning that returns starts again";
  EXPECT_EQ(again[0].text, Warning("letsencrypt").Message());
}

TEST(CapacityLogTest, EachIssuerHasItsOwnWarning) {
  CapacityLog log;
  log.Update({Warning("a")}, kStart);
  const auto lines = log.Update({Warning("a"), Warning("b")}, kStart + kScan);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, Warning("b").Message());
  const auto a_cleared = log.Update({Warning("b")}, kStart + kScan * 2);
  ASSERT_EQ(a_cleared.size(), 1u);
  EXPECT_NE(a_cleared[0].text.find("issuer a:"), std::string::npos) << a_cleared[0].text;
}

}  // namespace
}  // namespace certfleet::issuance
