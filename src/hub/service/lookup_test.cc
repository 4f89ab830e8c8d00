#include "hub/service/lookup.h"

#include <gtest/gtest.h>

namespace certfleet::hub::service {
namespace {

TEST(DidYouMean, SameLettersInAnotherCase) {
  EXPECT_EQ(DidYouMean("ACME-shop", {"acme-shop", "other"}), "acme-shop");
}

TEST(DidYouMean, OneOrTwoTyposInALongerName) {
  EXPECT_EQ(DidYouMean("blgo.acme.example", {"blog.acme.example", "shop.acme.example"}),
            "blog.acme.example");
  EXPECT_EQ(DidYouMean("web-9", {"web-1", "db-1"}), "web-1");
}

TEST(DidYouMean, NothingCloseMeansNoSuggestion) {
  EXPECT_EQ(DidYouMean("zzzzzz", {"acme-shop"}), std::nullopt);
  EXPECT_EQ(DidYouMean("ab", {"cd"}), std::nullopt) << "short names need an exact case match";
}

TEST(ParseId, OnlyPositiveIntegers) {
  EXPECT_EQ(ParseId("42", "token id"), 42);
  EXPECT_FALSE(ParseId("0", "token id"));
  EXPECT_FALSE(ParseId("4x", "token id"));
  EXPECT_EQ(ParseId("", "token id").error().message,
            "token id must be a positive integer, got \"\"");
}

TEST(DomainSearchText, UnicodeBecomesThePunycodeNamesAreStoredIn) {
  EXPECT_EQ(DomainSearchText("müller"), "xn--mller-kva");
  EXPECT_EQ(DomainSearchText("Müller.example"), "xn--mller-kva.example");
  EXPECT_EQ(DomainSearchText("www.shop"), "www.shop") << "ASCII text is searched as typed";
  EXPECT_EQ(DomainSearchText("ü/x"), "ü/x") << "no name: searched as typed (finds nothing)";
}

}  // namespace
}  // namespace certfleet::hub::service
