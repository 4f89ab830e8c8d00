// The outbox rules as pure functions (store/events.h): which machines a domain change
// affects, which type a stored certificate gets, and payloads that never carry secrets.
#include "store/events.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace certfleet::store::events {
namespace {

Domain MakeDomain(std::vector<Id> machines, std::vector<std::string> sans = {}) {
  Domain d;
  d.id = 7;
  d.name = "shop.example.com";
  d.issuer = "letsencrypt";
  d.machine_ids = std::move(machines);
  d.sans = std::move(sans);
  return d;
}

TEST(AffectedMachines, OnlyAddedAndRemovedMachinesWhenNamesStay) {
  EXPECT_EQ(AffectedMachines(MakeDomain({1, 2, 3}), MakeDomain({2, 3, 4})),
            (std::vector<Id>{1, 4}));
}

TEST(AffectedMachines, EveryOldAndNewMachineWhenTheNamesChange) {
  EXPECT_EQ(AffectedMachines(MakeDomain({1, 2}), MakeDomain({2, 3}, {"www.shop.example.com"})),
            (std::vector<Id>{1, 2, 3}))
      << "a SAN change alters the certificate every hosting machine must get";
}

TEST(AffectedMachines, NoneWhenNothingAgentsSeeChanged) {
  Domain after = MakeDomain({1, 2});
  after.status = DomainStatus::kFailed;
  EXPECT_TRUE(AffectedMachines(MakeDomain({2, 1}), after).empty());
}

TEST(CertificateStored, FirstCertificateIsIssuedLaterOnesRenewed) {
  Domain d = MakeDomain({1});
  CertificateVersion c{.id = 3, .domain_id = 7, .sha256 = "ab"};
  EXPECT_EQ(CertificateStored(d, c).type, kCertificateIssued);
  d.current_certificate_id = 2;
  EXPECT_EQ(CertificateStored(d, c).type, kCertificateRenewed);
  EXPECT_EQ(CertificateStored(d, c).subject, "domain:shop.example.com");
}

TEST(CertificateStored, PayloadNeverCarriesTheSealedKey) {
  CertificateVersion c{.id = 3, .domain_id = 7, .chain_pem = "CHAIN", .encrypted_key = "SEALED"};
  const std::string payload = CertificateStored(MakeDomain({1}), c).payload_json;
  EXPECT_EQ(payload.find("SEALED"), std::string::npos) << payload;
  EXPECT_EQ(payload.find("CHAIN"), std::string::npos) << payload;
}

TEST(TokenEvents, PayloadNeverCarriesTheSecretHash) {
  Token t{.id = 4, .name = "alice", .role = Role::kAdmin, .secret_sha256 = std::string(64, 'f')};
  EXPECT_EQ(TokenCreated(t).payload_json.find("ffff"), std::string::npos);
  EXPECT_EQ(TokenRevoked(t).subject, "token:4");
}

TEST(DelegationCheckChanged, OnlyWhenTheStateChanges) {
  EXPECT_FALSE(DelegationCheckChanged("shop.example.com", "missing", "missing", "other words"));
  auto event = DelegationCheckChanged("shop.example.com", "", "missing", "create it");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->type, "domain.delegation");
  EXPECT_EQ(event->subject, "domain:shop.example.com");
  auto payload = nlohmann::json::parse(event->payload_json);
  EXPECT_EQ(payload["name"], "shop.example.com");
  EXPECT_EQ(payload["state"], "missing");
  EXPECT_EQ(payload["previous_state"], "");
  EXPECT_EQ(payload["message"], "create it");
}

TEST(DomainStatusChanged, OnlyWhenStatusOrErrorChange) {
  Domain before = MakeDomain({1});
  Domain after = before;
  after.failure_count = 3;
  EXPECT_FALSE(DomainStatusChanged(before, after)) << "failure_count alone is no status change";
  after.last_error = "the CA said no";
  auto event = DomainStatusChanged(before, after);
  ASSERT_TRUE(event);
  auto payload = nlohmann::json::parse(event->payload_json);
  EXPECT_EQ(payload["error"], "the CA said no");
  EXPECT_TRUE(payload["next_attempt_at"].is_null());
}

TEST(Payloads, InvalidUtf8IsReplacedNotThrown) {
  Deployment d{.machine_id = 1, .certificate_id = 2, .error = std::string("nginx: \xff\xfe", 9)};
  EventDraft draft;
  ASSERT_NO_THROW(draft = DeploymentReported("web-1", "shop.example.com", d));
  EXPECT_TRUE(nlohmann::json::accept(draft.payload_json)) << draft.payload_json;
}

TEST(CustomEvent, RefusesPayloadsThatAreNotObjects) {
  EXPECT_FALSE(CustomEvent(Event{.type = "x.y", .subject = "s:t", .payload_json = "[1]"}));
  EXPECT_FALSE(CustomEvent(Event{.type = "", .subject = "s:t"}));
  auto ok = CustomEvent(Event{.type = "x.y", .subject = "s:t", .payload_json = R"({"a": 1})"});
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->payload_json, R"({"a":1})");
}

}  // namespace
}  // namespace certfleet::store::events
