#include "hub/service/activity.h"

#include <gtest/gtest.h>

namespace certfleet::hub::service {
namespace {

store::AuditEntry Entry(std::string actor, std::string action, std::string target,
                        std::string details = "{}") {
  store::AuditEntry e;
  e.actor = std::move(actor);
  e.action = std::move(action);
  e.target = std::move(target);
  e.details_json = std::move(details);
  return e;
}

TEST(Activity, PeopleAreNamedByTheirTokenLabel) {
  EXPECT_EQ(ActorName("token:3 (alice laptop)"), "alice laptop");
  EXPECT_EQ(ActorName("system:issuance"), "issuance");
  EXPECT_EQ(ActorName("someone"), "someone");
}

TEST(Activity, CreatesAndDeletesReadAsSentences) {
  auto a = DescribeAudit(Entry("token:3 (alice)", "domain.created", "domain:shop.example.com"));
  EXPECT_EQ(a.text, "alice added domain shop.example.com");
  EXPECT_EQ(a.domain, "shop.example.com");
  EXPECT_EQ(DescribeAudit(Entry("token:3 (alice)", "machine.deleted", "machine:web-3")).text,
            "alice deleted machine web-3");
}

TEST(Activity, DeploymentsNameTheMachine) {
  auto ok = DescribeAudit(
      Entry("token:7 (web-03 agent)", "deployment.reported", "machine:web-03",
            R"({"machine":"web-03","domain":"shop.example.com","status":"deployed"})"));
  EXPECT_EQ(ok.text, "web-03 deployed shop.example.com");
  EXPECT_EQ(ok.tone, Tone::kOk);
  auto bad = DescribeAudit(Entry(
      "token:7 (web-03 agent)", "deployment.reported", "machine:web-03",
      R"({"machine":"web-03","domain":"a.example","status":"failed","error":"nginx -t failed"})"));
  EXPECT_EQ(bad.text, "web-03 could not deploy a.example: nginx -t failed");
  EXPECT_EQ(bad.tone, Tone::kBad);
}

TEST(Activity, CertificatesSayRenewedOrUploaded) {
  EXPECT_EQ(DescribeAudit(Entry("system:issuance", "certificate.renewed", "domain:shop.example.com",
                                R"({"source":"acme"})"))
                .text,
            "certificate renewed for shop.example.com");
  EXPECT_EQ(DescribeAudit(Entry("token:2 (bob)", "certificate.issued", "domain:m.example",
                                R"({"source":"manual"})"))
                .text,
            "bob uploaded a certificate for m.example");
}

TEST(Activity, ChangesAreListedOldToNew) {
  auto a = DescribeAudit(Entry(
      "token:3 (alice)", "domain.updated", "domain:a.example",
      R"({"changes":{"machines":[["web-1"],["web-2","web-3"]],"issuer":["manual","pebble"]}})"));
  EXPECT_EQ(a.text, "alice changed domain a.example");
  EXPECT_EQ(a.changes, (std::vector<std::string>{"issuer: manual → pebble",
                                                 "machines: web-1 → web-2, web-3"}));
}

TEST(Activity, GarbageDetailsDoNotBreakTheFeed) {
  auto a = DescribeAudit(Entry("x", "custom.thing", "thing:1", "not json"));
  EXPECT_EQ(a.text, "x: custom.thing thing:1");
}

}  // namespace
}  // namespace certfleet::hub::service
