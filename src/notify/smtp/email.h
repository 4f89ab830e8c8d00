// Builds the RFC 5322 text of a notification e-mail (pure; the SMTP transfer is
// smtp_notifier.h).
#pragma once

#include <string>

#include "notify/channel_config.h"
#include "notify/message.h"

namespace certfleet::notify {

// Headers Date, From, To, Subject ("[certfleet] <title>", RFC 2047-encoded when not
// ASCII), Message-ID (from message.id, so a retried message keeps its id), MIME-Version,
// Content-Type text/plain; charset=utf-8, X-Certfleet-Severity; then the text with CRLF
// line endings. Header values are stripped of CR/LF so message content cannot inject
// headers.
std::string ComposeEmail(const SmtpSettings& smtp, const Message& message);

// "Sat, 28 Nov 2026 22:38:01 +0000".
std::string Rfc5322Date(TimePoint t);

}  // namespace certfleet::notify
