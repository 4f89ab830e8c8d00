#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/time_format.h"
#include "hub/discovery/adoption_plan.h"
#include "hub/discovery/fleet_view.h"
#include "hub/discovery/testing/report_json.h"

namespace certfleet::hub::discovery {
namespace {

using nlohmann::json;

const std::string kBought(64, 'a');
const std::string kOther(64, 'b');
const std::string kManaged(64, 'c');
const TimePoint kNow = *ParseRfc3339("2026-12-06T00:00:00Z");

// One host serving shop.test with `sha` from /etc/ssl/shop.crt (expiring at `not_after`).
InventoryReport Host(const std::string& sha, const std::string& not_after) {
  json cert = testing::ReportCertificate(sha, {"shop.test", "www.shop.test"}, not_after);
  cert["issuer"] = "CN=Bought";
  const json r = testing::ReportOfOneSite({.sha = sha,
                                           .certificates = {cert},
                                           .probes = {testing::ReportProbe("shop.test", sha)},
                                           .collected_at = "2026-12-06T00:00:00Z"});
  return ParseInventoryReport(r.dump()).value();
}

TEST(FleetView, UnmanagedNamesWithExpiryAndConflictsAcrossMachines) {
  std::vector<store::InventoryEntry> entries =
      ReportEntries(Host(kBought, "2027-01-01T00:00:00Z"), 1);
  for (auto& e : ReportEntries(Host(kOther, "2026-12-20T00:00:00Z"), 2)) entries.push_back(e);
  const auto groups = GroupByName(entries, {{1, "web-01"}, {2, "web-02"}}, {});
  ASSERT_EQ(groups.size(), 2u);
  const NameGroup& shop = groups[0];
  EXPECT_EQ(shop.name, "shop.test");
  EXPECT_EQ(shop.state, NameState::kUnmanaged);
  EXPECT_TRUE(shop.conflict) << "web-01 and web-02 serve different certificates";
  EXPECT_EQ(shop.not_after, ParseRfc3339("2026-12-20T00:00:00Z")) << "the earliest served expiry";
  ASSERT_EQ(shop.machines.size(), 2u);
  EXPECT_EQ(shop.machines[1].machine, "web-02");
  EXPECT_EQ(groups[1].name, "www.shop.test");
  EXPECT_TRUE(groups[1].conflict) << "not probed, but configured differently on the machines";
}

TEST(FleetView, ManagedWhenADomainCoversTheNameAndServesItsCertificate) {
  const auto entries = ReportEntries(Host(kManaged, "2027-01-01T00:00:00Z"), 1);
  auto groups = GroupByName(entries, {{1, "web-01"}}, {{"shop.test", {"www.shop.test"}, kManaged}});
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].state, NameState::kManaged);
  EXPECT_EQ(groups[0].domain, "shop.test");
  groups = GroupByName(entries, {{1, "web-01"}}, {{"shop.test", {}, kOther}});
  EXPECT_EQ(groups[0].state, NameState::kDrifting) << "a domain, but another certificate served";
  groups = GroupByName(entries, {{1, "web-01"}}, {{"*.shop.test", {}, ""}});
  EXPECT_EQ(groups[1].domain, "*.shop.test") << "wildcards cover one label";
  EXPECT_EQ(groups[0].state, NameState::kUnmanaged);
}

TEST(AdoptionPlan, ManualTakesTheNewestValidCertificateAndPrintsTheLines) {
  const std::vector<MachineReport> machines = {{1, "web-01", Host(kBought, "2027-01-01T00:00:00Z")},
                                               {2, "web-02", Host(kOther, "2027-06-01T00:00:00Z")}};
  auto plan = PlanAdoption("Shop.Test", "manual", machines, kNow);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->name, "shop.test");
  EXPECT_EQ(plan->sans, std::vector<std::string>{"www.shop.test"});
  EXPECT_EQ(plan->source_sha256, kOther) << "the certificate valid longest";
  EXPECT_EQ(plan->source_machine_id, 2);
  EXPECT_EQ(plan->key_type, "rsa-2048");
  EXPECT_EQ(plan->machine_ids, (std::vector<store::Id>{1, 2}));
  std::ostringstream out;
  PrintNginxChanges(*plan, out);
  EXPECT_NE(out.str().find("web-01: /etc/nginx/sites/shop.conf line 1 (server shop.test "
                           "www.shop.test)\n  line 4: ssl_certificate /etc/ssl/shop.crt;\n"
                           "       →  ssl_certificate "
                           "/etc/certfleet/live/shop.test/fullchain.pem;\n"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("then on web-02: nginx -t && nginx -s reload"), std::string::npos);
  EXPECT_NE(out.str().find("change them once `certfleet domain show shop.test` lists each "
                           "machine as pending"),
            std::string::npos)
      << "the lines say when to change them: " << out.str();
}

TEST(AdoptionPlan, ACaIssuedCertificateBeatsASelfSignedOneValidLonger) {
  InventoryReport forged = Host(kOther, "2030-01-01T00:00:00Z");
  forged.certificates[0].self_signed = true;
  const std::vector<MachineReport> machines = {{1, "web-01", Host(kBought, "2027-01-01T00:00:00Z")},
                                               {2, "web-02", forged}};
  auto plan = PlanAdoption("shop.test", "manual", machines, kNow);
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->source_sha256, kBought) << "a machine cannot win with a certificate it made up";
  std::ostringstream out;
  PrintNginxChanges(*plan, out);
  EXPECT_NE(out.str().find("certificate taken from web-01: issuer CN=Bought"), std::string::npos)
      << out.str();
}

TEST(AdoptionPlan, ExpiredCertificatesNeedAnAcmeIssuer) {
  const std::vector<MachineReport> machines = {
      {1, "web-01", Host(kBought, "2026-11-01T00:00:00Z")}};
  auto manual = PlanAdoption("shop.test", "manual", machines, kNow);
  ASSERT_FALSE(manual);
  EXPECT_EQ(manual.error().code, ErrorCode::kConflict);
  EXPECT_NE(manual.error().message.find("expired on 2026-11-01T00:00:00Z: adopt the name with an "
                                        "ACME issuer instead"),
            std::string::npos)
      << manual.error().message;
  auto acme = PlanAdoption("shop.test", "pebble", machines, kNow);
  ASSERT_TRUE(acme) << acme.error().message;
  EXPECT_EQ(acme->sans, std::vector<std::string>{"www.shop.test"});
  EXPECT_TRUE(acme->source_sha256.empty());
}

TEST(AdoptionPlan, ReloadFreeLinesNameTheBundleVariableAndWhatEachMachineNeedsOnce) {
  const std::vector<MachineReport> machines = {{1, "web-01", Host(kBought, "2027-01-01T00:00:00Z")},
                                               {2, "web-02", Host(kOther, "2027-06-01T00:00:00Z")}};
  auto plan = PlanAdoption("shop.test", "pebble", machines, kNow, SiteLines::kReloadFree);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->changes.size(), 2u);
  ASSERT_EQ(plan->changes[0].lines.size(), 2u);
  EXPECT_EQ(plan->changes[0].lines[0].new_value, "$certfleet_bundle");
  EXPECT_EQ(plan->changes[0].lines[1].new_value, "$certfleet_bundle");
  ASSERT_EQ(plan->notes.size(), 2u) << "one note per machine";
  EXPECT_NE(plan->notes[1].find("web-02: the reload-free lines need, once, `include "
                                "/etc/certfleet/nginx/certfleet-map.conf;` in nginx's http {}"),
            std::string::npos)
      << plan->notes[1];
  std::ostringstream out;
  PrintNginxChanges(*plan, out);
  EXPECT_NE(out.str().find("  line 4: ssl_certificate /etc/ssl/shop.crt;\n"
                           "       →  ssl_certificate $certfleet_bundle;\n"),
            std::string::npos)
      << out.str();
}

TEST(AdoptionPlan, ANameNoMachineServesIsNotFound) {
  auto plan = PlanAdoption("blog.test", "manual",
                           {{1, "web-01", Host(kBought, "2027-01-01T00:00:00Z")}}, kNow);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kNotFound);
  EXPECT_NE(plan.error().message.find("certfleet-agent discover"), std::string::npos);
  EXPECT_FALSE(PlanAdoption("not a name", "manual", {}, kNow));
}

}  // namespace
}  // namespace certfleet::hub::discovery
