#include "common/domain_name.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

std::string NormalizedOrError(std::string_view input, DomainNameOptions options = {}) {
  auto result = NormalizeDomainName(input, options);
  return result ? *result : "ERROR: " + result.error().message;
}

TEST(DomainName, FoldsUpperCaseAndDropsOneTrailingDot) {
  EXPECT_EQ(NormalizedOrError("Tickets.Example.COM."), "tickets.example.com");
}

TEST(DomainName, ConvertsInternationalizedNamesToPunycode) {
  EXPECT_EQ(NormalizedOrError("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(NormalizedOrError("BÜCHER.example"), "xn--bcher-kva.example");
}

// Review 2026-12-06, F16: "xn--zz.example" (no valid punycode) was stored as it came.
TEST(DomainName, ChecksPunycodeLabelsWrittenInAscii) {
  EXPECT_EQ(NormalizedOrError("XN--BCHER-KVA.example"), "xn--bcher-kva.example");
  EXPECT_EQ(NormalizedOrError("xn--q9jyb4c.example"), "xn--q9jyb4c.example");
  EXPECT_EQ(NormalizedOrError("xn--zz.example"),
            "ERROR: invalid domain name \"xn--zz.example\": label \"xn--zz\" is not valid "
            "punycode for an internationalized name (string contains invalid punycode data)");
  EXPECT_EQ(NormalizedOrError("shop.xn--a.example").substr(0, 6), "ERROR:")
      << "decodes to nothing a name may hold";
  EXPECT_EQ(NormalizedOrError("xn--ls8h.example").substr(0, 6), "ERROR:")
      << "an emoji: not IDNA2008, CAs refuse it";
  EXPECT_EQ(NormalizedOrError("ab--cd.example"),
            "ERROR: invalid domain name \"ab--cd.example\": label \"ab--cd\" has '--' in "
            "positions 3-4, which is reserved for encodings such as xn-- (punycode)");
  EXPECT_EQ(NormalizedOrError("a--b.example"), "a--b.example") << "'--' elsewhere is fine";
  EXPECT_FALSE(IsCanonicalDomainName("xn--zz.example"));
}

TEST(DomainName, RejectsPathLikeInputWithAMessageNamingTheProblem) {
  EXPECT_EQ(NormalizedOrError("../etc/passwd"),
            "ERROR: invalid domain name \"../etc/passwd\": it contains a path separator");
  EXPECT_EQ(NormalizedOrError("a..example.com"),
            "ERROR: invalid domain name \"a..example.com\": it contains an empty label (\"..\")");
  EXPECT_EQ(NormalizedOrError("a\\b.example.com"),
            "ERROR: invalid domain name \"a\\b.example.com\": it contains a path separator");
  EXPECT_EQ(NormalizedOrError(std::string_view("a\0b.com", 7)),
            "ERROR: invalid domain name \"a\\x00b.com\": it contains a control character");
}

TEST(DomainName, RejectsBadLabels) {
  EXPECT_EQ(NormalizedOrError("-a.example.com"),
            "ERROR: invalid domain name \"-a.example.com\": label \"-a\" starts or ends with '-'");
  EXPECT_EQ(NormalizedOrError("a_b.example.com"),
            "ERROR: invalid domain name \"a_b.example.com\": character '_' is not allowed "
            "(only letters, digits and '-')");
  EXPECT_EQ(NormalizedOrError(std::string(64, 'a') + ".com").substr(0, 6), "ERROR:");
  EXPECT_EQ(NormalizedOrError(std::string(63, 'a') + ".com"), std::string(63, 'a') + ".com");
}

TEST(DomainName, RejectsNamesLongerThan253Characters) {
  std::string name;
  while (name.size() < 260) name += std::string(9, 'a') + ".";
  name += "com";
  EXPECT_EQ(NormalizedOrError(name),
            "ERROR: invalid domain name \"" + name + "\": it is longer than 253 characters");
}

TEST(DomainName, RejectsSingleLabelsEmptyNamesAndIpAddresses) {
  EXPECT_EQ(NormalizedOrError("localhost"),
            "ERROR: invalid domain name \"localhost\": it needs at least two labels, e.g. "
            "\"example.com\"");
  EXPECT_EQ(NormalizedOrError(""), "ERROR: invalid domain name \"\": it is empty");
  EXPECT_EQ(NormalizedOrError("."), "ERROR: invalid domain name \".\": it is empty");
  EXPECT_EQ(NormalizedOrError("10.0.0.1"),
            "ERROR: invalid domain name \"10.0.0.1\": it looks like an IP address; certificates "
            "here are for domain names");
}

TEST(DomainName, AcceptsWildcardsOnlyWhenAllowed) {
  EXPECT_EQ(NormalizedOrError("*.Example.com"),
            "ERROR: invalid domain name \"*.Example.com\": wildcards need an issuer that can "
            "solve DNS-01");
  EXPECT_EQ(NormalizedOrError("*.Example.com", {.allow_wildcard = true}), "*.example.com");
  EXPECT_EQ(NormalizedOrError("a.*.example.com", {.allow_wildcard = true}),
            "ERROR: invalid domain name \"a.*.example.com\": '*' is allowed only as the whole "
            "leftmost label (\"*.example.com\")");
}

TEST(DomainName, IsCanonicalOnlyForNormalizedNames) {
  EXPECT_TRUE(IsCanonicalDomainName("a.example.com"));
  EXPECT_FALSE(IsCanonicalDomainName("A.example.com"));
  EXPECT_FALSE(IsCanonicalDomainName("a.example.com."));
}

}  // namespace
}  // namespace certfleet
