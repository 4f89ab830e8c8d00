#include "notify/message.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace certfleet::notify {
namespace {

const TimePoint kNow = TimePoint(std::chrono::seconds(1'700'000'000));

Notice Renewed(const std::string& domain) {
  return Notice{.kind = NoticeKind::kRenewed,
                .subject = domain,
                .customer = "Acme GmbH",
                .machines = {"web-01", "web-02"},
                .summary = "renewed, valid until 2024-02-12 22:13 UTC"};
}

TEST(FormatMessageTest, OneNoticeNamesKindAndSubjectInTheTitle) {
  Message m = FormatMessage("id-1", {Renewed("shop.example.com")}, kNow);
  EXPECT_EQ(m.title, "Certificate renewed: shop.example.com");
  EXPECT_EQ(m.text,
            "- shop.example.com (customer Acme GmbH) on web-01, web-02: renewed, valid until "
            "2024-02-12 22:13 UTC");
  EXPECT_EQ(m.id, "id-1");
  EXPECT_EQ(m.severity, Severity::kInfo);
}

TEST(FormatMessageTest, ABurstOfOneKindBecomesOneCountedMessage) {
  std::vector<Notice> notices;
  for (int i = 0; i < 87; ++i) notices.push_back(Renewed("d" + std::to_string(i) + ".example.com"));
  Message m = FormatMessage("burst", notices, kNow);
  EXPECT_EQ(m.title, "87 certificates renewed");
  EXPECT_NE(m.text.find("d0.example.com"), std::string::npos);
  EXPECT_NE(m.text.find("- ... and 62 more"), std::string::npos)
      << "only the first 25 lines are listed, then a count:\n"
      << m.text;
  EXPECT_EQ(m.text.find("d30.example.com"), std::string::npos);
  EXPECT_EQ(m.notices.size(), 87u) << "structured receivers still get every notice";
}

TEST(FormatMessageTest, MixedKindsListTroubleFirstWithNextSteps) {
  Notice failed{.kind = NoticeKind::kFailed,
                .severity = Severity::kWarning,
                .subject = "broken.example.com",
                .summary = "issuance failed: connection refused",
                .action = "check DNS"};
  Message m =
      FormatMessage("mix", {Renewed("a.example.com"), Renewed("b.example.com"), failed}, kNow);
  EXPECT_EQ(m.title, "3 certificate events: 1 failed, 2 renewed");
  EXPECT_EQ(m.severity, Severity::kWarning);
  EXPECT_EQ(m.text.rfind("1 issuance failure:\n- broken.example.com: issuance failed", 0), 0u)
      << "the failure section must come first:\n"
      << m.text;
  EXPECT_NE(m.text.find("  Next: check DNS"), std::string::npos);
  EXPECT_NE(m.text.find("2 certificates renewed:\n"), std::string::npos);
}

TEST(NoticeJsonTest, RoundTripsEveryField) {
  Notice n{.kind = NoticeKind::kExpiring,
           .severity = Severity::kCritical,
           .subject = "shop.example.com",
           .customer = "Acme",
           .machines = {"web-01"},
           .summary = "expires in 7 days",
           .action = "upload",
           .at = kNow};
  auto back = NoticeFromJson(NoticeToJson(n));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(NoticeToJson(*back), NoticeToJson(n));
  EXPECT_EQ(back->at, kNow);
}

TEST(NoticeJsonTest, MalformedPayloadIsCorrupt) {
  auto bad = NoticeFromJson(nlohmann::json{{"kind", "exploded"}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace certfleet::notify
