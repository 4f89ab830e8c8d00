#include "dns/message.h"

#include <gtest/gtest.h>

namespace certfleet::dns {
namespace {

TEST(MessageTest, QueryParsesBackWithItsQuestionIdAndFlags) {
  auto query = BuildQuery("_acme-challenge.Shop.Example.com.", rrtype::kTxt, true);
  ASSERT_TRUE(query) << query.error().message;
  EXPECT_EQ(query->name, "_acme-challenge.shop.example.com");
  auto parsed = ParseMessage(query->wire);
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->id, query->id);
  EXPECT_FALSE(parsed->response);
  EXPECT_TRUE(parsed->recursion_desired);
  EXPECT_EQ(parsed->question_name, "_acme-challenge.shop.example.com");
  EXPECT_EQ(parsed->question_type, rrtype::kTxt);
}

TEST(MessageTest, QueryWithoutRecursionDesired) {
  auto query = BuildQuery("example.com", rrtype::kSoa, false);
  ASSERT_TRUE(query);
  auto parsed = ParseMessage(query->wire);
  ASSERT_TRUE(parsed);
  EXPECT_FALSE(parsed->recursion_desired);
}

TEST(MessageTest, InvalidNamesAreRefusedWhenBuildingAQuery) {
  const std::string too_long(300, 'a');
  auto query = BuildQuery(too_long, rrtype::kTxt, true);
  ASSERT_FALSE(query);
  EXPECT_EQ(query.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(query.error().message.find("not a valid DNS name"), std::string::npos);
}

TEST(MessageTest, MalformedBytesAreAProtocolError) {
  for (std::string wire : {std::string(), std::string("\x12\x34", 2), std::string(11, '\0'),
                           std::string("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07"
                                       "example",
                                       20)}) {
    auto parsed = ParseMessage(wire);
    ASSERT_FALSE(parsed) << "accepted " << wire.size() << " bytes";
    EXPECT_EQ(parsed.error().code, ErrorCode::kProtocol);
    EXPECT_NE(parsed.error().message.find("malformed DNS message"), std::string::npos);
  }
}

TEST(MessageTest, RcodeAndTypeNames) {
  EXPECT_EQ(RcodeName(rcode::kNoError), "NOERROR");
  EXPECT_EQ(RcodeName(rcode::kRefused), "REFUSED");
  EXPECT_EQ(RcodeName(rcode::kNotAuth), "NOTAUTH");
  EXPECT_EQ(RcodeName(23), "RCODE 23");
  EXPECT_EQ(TypeName(rrtype::kTxt), "TXT");
  EXPECT_EQ(TypeName(rrtype::kSoa), "SOA");
}

TEST(MessageTest, CanonicalNamesAndZoneMembership) {
  EXPECT_EQ(CanonicalName("WWW.Example.COM."), "www.example.com");
  EXPECT_TRUE(IsAtOrBelow("a.example.com", "example.com"));
  EXPECT_TRUE(IsAtOrBelow("example.com", "example.com"));
  EXPECT_FALSE(IsAtOrBelow("badexample.com", "example.com"));
  EXPECT_FALSE(IsAtOrBelow("example.com", "a.example.com"));
  EXPECT_TRUE(IsAtOrBelow("anything.at.all", ""));
}

}  // namespace
}  // namespace certfleet::dns
