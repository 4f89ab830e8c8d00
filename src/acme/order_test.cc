#include "acme/order.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::acme {
namespace {

constexpr char kOrder[] = R"({
  "status": "pending",
  "expires": "2026-01-01T00:00:00Z",
  "identifiers": [{"type": "dns", "value": "www.example.org"}, {"type": "dns", "value": "example.org"}],
  "authorizations": ["https://ca.test/authz/1", "https://ca.test/authz/2"],
  "finalize": "https://ca.test/order/1/finalize"})";

Directory PlainDirectory() {
  Directory directory;
  directory.new_order = "https://ca.test/new-order";
  return directory;
}

TEST(OrderTest, ParsesAnOrderWithSeveralIdentifiers) {
  auto order = ParseOrder(kOrder, "https://ca.test/order/1");
  ASSERT_TRUE(order) << order.error().message;
  EXPECT_EQ(order->url, "https://ca.test/order/1");
  EXPECT_EQ(order->status, "pending");
  ASSERT_EQ(order->identifiers.size(), 2u);
  EXPECT_EQ(order->identifiers[1].value, "example.org");
  EXPECT_EQ(order->authorizations.size(), 2u);
  EXPECT_EQ(order->finalize, "https://ca.test/order/1/finalize");
  EXPECT_FALSE(order->error);
}

TEST(OrderTest, RoundTripsThroughJsonForPersistence) {
  auto order = ParseOrder(kOrder, "https://ca.test/order/1");
  ASSERT_TRUE(order);
  order->error = Problem{"urn:ietf:params:acme:error:unauthorized", "nope", 403, "", {}, {}};
  nlohmann::json saved = OrderToJson(*order);
  auto restored = OrderFromJson(saved, saved["url"].get<std::string>());
  ASSERT_TRUE(restored) << restored.error().message;
  EXPECT_EQ(OrderToJson(*restored), saved);
}

TEST(OrderTest, MalformedOrdersAreProtocolErrorsNotCrashes) {
  for (
      const char* body :
      {"", "null", "[]", R"({"status": "pending"})",
       R"({"status": 1, "identifiers": [], "finalize": "https://a/f"})",
       R"({"status": "pending", "identifiers": {}, "finalize": "https://a/f"})",
       R"({"status": "pending", "identifiers": [{"type": "dns"}], "finalize": "https://a/f"})",
       R"({"status": "pending", "identifiers": [], "authorizations": "https://a/1", "finalize": "https://a/f"})",
       R"({"status": "pending", "identifiers": [], "authorizations": [2], "finalize": "https://a/f"})",
       R"({"status": "pending", "identifiers": [], "finalize": "ftp://a/f"})",
       R"({"status": "invalid", "identifiers": [], "finalize": "https://a/f", "error": "bad"})"}) {
    auto order = ParseOrder(body, "https://ca.test/order/1");
    ASSERT_FALSE(order) << "accepted: " << body;
    EXPECT_EQ(order.error().code, ErrorCode::kProtocol) << body;
  }
}

TEST(OrderTest, PayloadListsEveryName) {
  auto payload = BuildNewOrderPayload(PlainDirectory(), {{"a.test", "b.test"}, "", ""});
  ASSERT_TRUE(payload);
  EXPECT_EQ(
      nlohmann::json::parse(*payload),
      nlohmann::json::parse(
          R"({"identifiers":[{"type":"dns","value":"a.test"},{"type":"dns","value":"b.test"}]})"));
}

TEST(OrderTest, ProfileIsSentOnlyWhenTheDirectoryAdvertisesIt) {
  auto without = BuildNewOrderPayload(PlainDirectory(), {{"a.test"}, "shortlived", ""});
  ASSERT_TRUE(without);
  EXPECT_FALSE(nlohmann::json::parse(*without).contains("profile"))
      << "a CA without profiles must not get one";

  Directory directory = PlainDirectory();
  directory.profiles = {{"classic", ""}, {"shortlived", ""}};
  auto with = BuildNewOrderPayload(directory, {{"a.test"}, "shortlived", ""});
  ASSERT_TRUE(with);
  EXPECT_EQ(nlohmann::json::parse(*with)["profile"], "shortlived");
}

TEST(OrderTest, UnknownProfileIsRejectedListingTheOffered) {
  Directory directory = PlainDirectory();
  directory.profiles = {{"classic", ""}, {"tlsserver", ""}};
  auto payload = BuildNewOrderPayload(directory, {{"a.test"}, "nope", ""});
  ASSERT_FALSE(payload);
  EXPECT_EQ(payload.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(payload.error().message.find("classic, tlsserver"), std::string::npos)
      << payload.error().message;
}

TEST(OrderTest, ReplacesIsSentOnlyToAnAriCa) {
  auto without = BuildNewOrderPayload(PlainDirectory(),
                                      {{"a.test"}, "", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"});
  ASSERT_TRUE(without);
  EXPECT_FALSE(nlohmann::json::parse(*without).contains("replaces"));
  Directory directory = PlainDirectory();
  directory.renewal_info = "https://ca.test/renewal-info";
  auto with =
      BuildNewOrderPayload(directory, {{"a.test"}, "", "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE"});
  ASSERT_TRUE(with);
  EXPECT_EQ(nlohmann::json::parse(*with)["replaces"], "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

}  // namespace
}  // namespace certfleet::acme
