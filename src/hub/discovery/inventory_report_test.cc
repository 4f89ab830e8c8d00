#include "hub/discovery/inventory_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hub/discovery/testing/report_json.h"

namespace certfleet::hub::discovery {
namespace {

using nlohmann::json;

const std::string kShop(64, 'a');
const std::string kServed(64, 'b');

// What an agent sends for one bought-style site whose served certificate differs.
json Report() {
  return testing::ReportOfOneSite(
      {.server_names = {"Shop.Test", "www.shop.test", "~^re$"},
       .sha = kShop,
       .certificates = {testing::ReportCertificate(kShop, {"shop.test", "www.shop.test"}),
                        testing::ReportCertificate(kServed, {"shop.test"})},
       .probes = {testing::ReportProbe("shop.test", kServed),
                  testing::ReportProbe("www.shop.test", "", "TLS handshake failed")}});
}

std::string ErrorOf(const json& report, const InventoryLimits& limits = {}) {
  auto parsed = ParseInventoryReport(report.dump(), limits);
  EXPECT_FALSE(parsed) << "accepted: " << report.dump();
  return parsed ? "" : parsed.error().message;
}

TEST(InventoryReport, ReadsTheAgentsReport) {
  auto report = ParseInventoryReport(Report().dump());
  ASSERT_TRUE(report) << report.error().message;
  ASSERT_EQ(report->servers.size(), 1u);
  EXPECT_EQ(report->servers[0].pairs[0].certificate.sha256, kShop);
  ASSERT_NE(report->Find(kServed), nullptr);
  EXPECT_EQ(report->Find(kShop)->names, (std::vector<std::string>{"shop.test", "www.shop.test"}));
  EXPECT_EQ(report->probes[1].error, "TLS handshake failed");
}

TEST(InventoryReport, RefusesWhatDoesNotFitTheShapeNamingTheField) {
  json r = Report();
  r["colour"] = "red";
  EXPECT_NE(ErrorOf(r).find("colour: unknown field"), std::string::npos);
  r = Report();
  r["schema"] = 2;
  EXPECT_NE(ErrorOf(r).find("schema: must be between 1 and 1"), std::string::npos);
  r = Report();
  r["servers"][0]["pairs"][0]["certificate"]["status"] = "fine";
  EXPECT_NE(ErrorOf(r).find("servers[0].pairs[0].certificate.status: must be one of ok, missing"),
            std::string::npos);
  r = Report();
  r["servers"][0]["pairs"][0]["certificate"]["sha256"] = "ABC";
  EXPECT_NE(ErrorOf(r).find("64 lower-case hex digits"), std::string::npos);
  r = Report();
  r["probes"][0]["sha256"] = std::string(64, 'c');
  EXPECT_NE(ErrorOf(r).find("probes[0].sha256: refers to a certificate not listed"),
            std::string::npos);
  r = Report();
  r["servers"][0]["file"] = "/etc/nginx/\nx.conf";
  EXPECT_NE(ErrorOf(r).find("servers[0].file: contains control characters"), std::string::npos);
  r = Report();
  r["collected_at"] = "yesterday";
  EXPECT_NE(ErrorOf(r).find("collected_at: must be an RFC 3339 time"), std::string::npos);
  r = Report();
  r["certificates"].push_back(r["certificates"][0]);
  EXPECT_NE(ErrorOf(r).find("is listed twice"), std::string::npos);
}

TEST(InventoryReport, RefusesOversizedListsAndBadUtf8) {
  InventoryLimits small;
  small.servers = 0;
  EXPECT_NE(ErrorOf(Report(), small).find("servers: has 1 elements; at most 0 are accepted"),
            std::string::npos);
  std::string body = Report().dump();
  body.replace(body.find("Shop.Test"), 1, "\xff");
  auto parsed = ParseInventoryReport(body);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("not valid JSON (or not valid UTF-8)"), std::string::npos);
  EXPECT_FALSE(ParseInventoryReport("[]"));
}

TEST(InventoryReport, LeavesOutCertificateNamesThatAreNoHostNamesAndSaysSo) {
  json r = Report();
  r["certificates"][1]["names"] = {"shop.test", "not a host", "*.Shop.test"};
  auto report = ParseInventoryReport(r.dump());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->Find(kServed)->names, (std::vector<std::string>{"shop.test", "*.shop.test"}));
  ASSERT_EQ(report->problems.size(), 1u);
  EXPECT_NE(report->problems[0].find("1 name(s) that are not host names were left out"),
            std::string::npos);
}

TEST(InventoryReport, EntriesPerNameForFilesAndHandshakes) {
  auto report = ParseInventoryReport(Report().dump());
  ASSERT_TRUE(report);
  const auto entries = ReportEntries(*report, 7);
  ASSERT_EQ(entries.size(), 4u);  // 2 names × 1 pair (the regex names no host) + 2 probes
  EXPECT_EQ(entries[0].name, "shop.test");
  EXPECT_EQ(entries[0].origin, "file");
  EXPECT_EQ(entries[0].sha256, kShop);
  EXPECT_EQ(entries[0].config_file, "/etc/nginx/sites/shop.conf");
  EXPECT_EQ(entries[0].machine_id, 7);
  ASSERT_TRUE(entries[0].not_after);
  EXPECT_EQ(entries[2].origin, "served");
  EXPECT_EQ(entries[2].sha256, kServed);
  EXPECT_EQ(entries[3].status, "failed");
  EXPECT_EQ(entries[3].detail, "TLS handshake failed");
}

TEST(InventoryReport, DigestIgnoresWhenTheReportWasCollected) {
  json later = Report();
  later["collected_at"] = "2026-12-06T11:00:00Z";
  const auto a = ToMachineInventory(*ParseInventoryReport(Report().dump()), 1);
  const auto b = ToMachineInventory(*ParseInventoryReport(later.dump()), 1);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_NE(a.body_json, b.body_json);
  json changed = Report();
  changed["probes"][1]["error"] = "timed out";
  EXPECT_NE(ToMachineInventory(*ParseInventoryReport(changed.dump()), 1).digest, a.digest);
  auto reread = ParseInventoryReport(a.body_json);
  ASSERT_TRUE(reread) << "the canonical body reads back: " << reread.error().message;
}

}  // namespace
}  // namespace certfleet::hub::discovery
