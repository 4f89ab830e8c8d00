#include "notify/smtp/email.h"

#include <gtest/gtest.h>

namespace certfleet::notify {
namespace {

SmtpSettings Smtp() {
  return {.server = "mail.test",
          .from = "certfleet@example.com",
          .to = {"ops@example.com", "oncall@example.com"}};
}

Message Sample(std::string title, std::string text) {
  Message m;
  m.id = "ops-1-2-2";
  m.title = std::move(title);
  m.text = std::move(text);
  m.severity = Severity::kWarning;
  m.created_at = TimePoint(std::chrono::seconds(1'700'000'000));
  return m;
}

TEST(ComposeEmailTest, HasTheHeadersAndACrlfBody) {
  std::string mail = ComposeEmail(Smtp(), Sample("2 certificates renewed", "- a\n- b"));
  EXPECT_NE(mail.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("From: certfleet <certfleet@example.com>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("To: ops@example.com, oncall@example.com\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Subject: [certfleet] 2 certificates renewed\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Message-ID: <ops-1-2-2@example.com>\r\n"), std::string::npos);
  EXPECT_NE(mail.find("X-Certfleet-Severity: warning\r\n"), std::string::npos);
  EXPECT_NE(mail.find("\r\n\r\n- a\r\n- b\r\n"), std::string::npos) << mail;
}

TEST(ComposeEmailTest, ContentCannotInjectHeaders) {
  std::string mail = ComposeEmail(Smtp(), Sample("evil\r\nBcc: victim@example.com", "x"));
  EXPECT_EQ(mail.find("\r\nBcc:"), std::string::npos) << mail;
}

TEST(ComposeEmailTest, NonAsciiSubjectsAreEncoded) {
  std::string mail = ComposeEmail(Smtp(), Sample("Zertifikat für bäckerei.example", "x"));
  EXPECT_NE(mail.find("Subject: =?UTF-8?B?"), std::string::npos) << mail;
}

}  // namespace
}  // namespace certfleet::notify
