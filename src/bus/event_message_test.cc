#include "bus/event_message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::bus {
namespace {

store::Event MakeEvent(std::string type, std::string subject, std::string payload) {
  return store::Event{.revision = 42,
                      .id = "0123456789abcdef0123456789abcdef",
                      .type = std::move(type),
                      .subject = std::move(subject),
                      .payload_json = std::move(payload),
                      .created_at = TimePoint(std::chrono::seconds(1'700'000'000))};
}

TEST(RoutingKeyTest, FollowsTheDocumentedScheme) {
  EXPECT_EQ(RoutingKeyFor(MakeEvent("domain.updated", "domain:www.example.com", "{}")),
            "certfleet.domain.updated.www.example.com");
  EXPECT_EQ(RoutingKeyFor(MakeEvent("certificate.issued", "domain:a.example", "{}")),
            "certfleet.certificate.issued.a.example");
  EXPECT_EQ(RoutingKeyFor(MakeEvent("deployment.reported", "machine:web-01", "{}")),
            "certfleet.deployment.reported.web-01");
  EXPECT_EQ(RoutingKeyFor(MakeEvent("machine.desired_changed", "machine:web-01", "{}")),
            "certfleet.machine.web-01.desired_changed");
  EXPECT_EQ(MachineRoutingKey("web-01"), "certfleet.machine.web-01.desired_changed");
  EXPECT_EQ(RoutingKeyFor(MakeEvent("custom", "", "{}")), "certfleet.custom");
}

TEST(RoutingKeyTest, NamesTooLongForAnAmqpKeyAreReplacedConsistently) {
  std::string name(250, 'a');
  std::string key = RoutingKeyFor(MakeEvent("certificate.renewed", "domain:" + name, "{}"));
  EXPECT_LE(key.size(), 255u);
  EXPECT_EQ(key, "certfleet.certificate.renewed._long_name_");
  EXPECT_EQ(RoutingKeyFor(MakeEvent("machine.desired_changed", "machine:" + name, "{}")),
            MachineRoutingKey(name))
      << "an agent must bind the same key the relay publishes with";
}

// Review 2026-12-06, F10: the binding key was built from the raw machine name, so a
// machine named "#" bound every machine's changes.
TEST(RoutingKeyTest, WildcardsInMachineNamesCannotWidenAnAgentsBinding) {
  EXPECT_EQ(MachineRoutingKey("#"), "certfleet.machine.%23.desired_changed");
  EXPECT_EQ(MachineRoutingKey("web-*"), "certfleet.machine.web-%2A.desired_changed");
  EXPECT_EQ(MachineRoutingKey("50%"), "certfleet.machine.50%25.desired_changed");
  EXPECT_EQ(MachineRoutingKey("web.01"), "certfleet.machine.web.01.desired_changed")
      << "dots stay: the documented keys of dotted names do not change";
  EXPECT_EQ(RoutingKeyFor(MakeEvent("machine.desired_changed", "machine:#", "{}")),
            MachineRoutingKey("#"))
      << "the relay publishes with the key the agent binds";
}

TEST(BuildMessageTest, BodyCarriesTheDocumentedFields) {
  auto message = BuildMessage(
      MakeEvent("certificate.issued", "domain:a.example", R"({"serial":"01","sha256":"ab"})"));
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_EQ(message->id, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(message->revision, 42);
  auto body = nlohmann::json::parse(message->body);
  EXPECT_EQ(body["version"], kMessageSchemaVersion);
  EXPECT_EQ(body["id"], message->id);
  EXPECT_EQ(body["revision"], 42);
  EXPECT_EQ(body["type"], "certificate.issued");
  EXPECT_EQ(body["subject"], "domain:a.example");
  EXPECT_EQ(body["time"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(body["data"]["serial"], "01");
  EXPECT_FALSE(body.contains("redacted"));
}

TEST(BuildMessageTest, PayloadWithKeyMaterialIsWithheldButTheChangeStillAnnounced) {
  auto message = BuildMessage(
      MakeEvent("certificate.issued", "domain:a.example",
                R"({"oops":"-----BEGIN PRIVATE KEY-----\nMIG...\n-----END PRIVATE KEY-----"})"));
  ASSERT_TRUE(message) << message.error().message;
  EXPECT_FALSE(ContainsKeyMaterial(message->body)) << message->body;
  auto body = nlohmann::json::parse(message->body);
  EXPECT_EQ(body["redacted"], true);
  EXPECT_TRUE(body["data"].empty());
  EXPECT_EQ(body["revision"], 42);
}

TEST(BuildMessageTest, RefusesWhenKeyMaterialWouldRemainOrPayloadIsNotAnObject) {
  auto in_subject = BuildMessage(MakeEvent("custom", "x:RSA PRIVATE KEY", "{}"));
  ASSERT_FALSE(in_subject);
  EXPECT_NE(in_subject.error().message.find("key material"), std::string::npos);
  auto not_object = BuildMessage(MakeEvent("custom", "x:y", "[1]"));
  ASSERT_FALSE(not_object);
  EXPECT_NE(not_object.error().message.find("not a JSON object"), std::string::npos);
}

TEST(ParseChangeTest, ReadsRevisionIdAndTypeBack) {
  auto message = BuildMessage(MakeEvent("machine.desired_changed", "machine:m", "{}"));
  ASSERT_TRUE(message);
  auto change = ParseChange(message->body, message->routing_key);
  ASSERT_TRUE(change) << change.error().message;
  EXPECT_EQ(change->revision, 42);
  EXPECT_EQ(change->event_id, message->id);
  EXPECT_EQ(change->type, "machine.desired_changed");
  EXPECT_EQ(change->routing_key, "certfleet.machine.m.desired_changed");
}

TEST(ParseChangeTest, LenientWithMissingFieldsStrictWithNonObjects) {
  auto partial = ParseChange(R"({"revision":"seven"})", "k");
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->revision, 0);
  EXPECT_FALSE(ParseChange("not json", "k"));
}

}  // namespace
}  // namespace certfleet::bus
