#include "acme/ari.h"

#include <gtest/gtest.h>

#include "common/encoding.h"
#include "common/time_format.h"

namespace certfleet::acme {
namespace {

TEST(AriTest, CertificateIdMatchesRfc9773Example) {
  // RFC 9773 §4.1: AKI 69:88:5B:6B:87:46:40:41:E1:B3:7B:84:7B:A0:AE:2C:DE:01:C8:D4,
  // serial 00:87:65:43:21.
  auto id = AriCertificateId(*HexDecode("69885B6B87464041E1B37B847BA0AE2CDE01C8D4"),
                             *HexDecode("0087654321"));
  ASSERT_TRUE(id) << id.error().message;
  EXPECT_EQ(*id, "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE");
}

TEST(AriTest, CertificateWithoutAuthorityKeyIdHasNoId) {
  auto id = AriCertificateId("", *HexDecode("0087654321"));
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInvalidArgument);
}

TEST(AriTest, ParsesRenewalInfo) {
  auto info = ParseRenewalInfo(R"({
    "suggestedWindow": {"start": "2025-01-02T04:00:00Z", "end": "2025-01-03T04:00:00Z"},
    "explanationURL": "https://acme.example.com/docs/ari"})");
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->window_start, *ParseRfc3339("2025-01-02T04:00:00Z"));
  EXPECT_EQ(info->window_end, *ParseRfc3339("2025-01-03T04:00:00Z"));
  EXPECT_EQ(info->explanation_url, "https://acme.example.com/docs/ari");
}

TEST(AriTest, MalformedRenewalInfoIsAProtocolError) {
  for (
      const char* body :
      {"{}", R"({"suggestedWindow": 1})",
       R"({"suggestedWindow": {"start": "2025-01-02T04:00:00Z"}})",
       R"({"suggestedWindow": {"start": "yesterday", "end": "2025-01-03T04:00:00Z"}})",
       R"({"suggestedWindow": {"start": "2025-01-03T04:00:00Z", "end": "2025-01-02T04:00:00Z"}})"}) {
    auto info = ParseRenewalInfo(body);
    ASSERT_FALSE(info) << "accepted: " << body;
    EXPECT_EQ(info.error().code, ErrorCode::kProtocol) << body;
  }
}

}  // namespace
}  // namespace certfleet::acme
