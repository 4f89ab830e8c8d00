// SmtpNotifier: e-mail over SMTP with libcurl (the only notify code that includes curl).
//
// One SMTP session per Deliver (notification mail is rare; no connection kept).
// Security per channel: kStartTls → smtp:// with STARTTLS required (CURLUSESSL_ALL: a
// server without STARTTLS fails the delivery rather than getting the password in
// clear); kTls → smtps://; kNone → plain smtp://. AUTH when smtp.user is set. TLS peer
// and host verification are always on; ca_file adds a private CA.
//
// Errors (Notifier contract): kUnavailable for connect/TLS/send failures and SMTP 4xx,
// kUnauthenticated for a refused login, kInvalidArgument for rejected recipients or
// sender, kDeadlineExceeded on timeout. Messages name the channel and server, never the
// password.
#pragma once

#include <memory>

#include "notify/channel_config.h"
#include "notify/notifier.h"

namespace certfleet::notify {

class SmtpNotifier final : public Notifier {
 public:
  explicit SmtpNotifier(ChannelConfig channel);
  Status Deliver(const Message& message) override;

  // "smtp://mail.example.com:587" / "smtps://…:465": what libcurl connects to.
  std::string ServerUrl() const;

 private:
  ChannelConfig channel_;
};

}  // namespace certfleet::notify
