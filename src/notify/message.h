// Message: what a channel delivers — one or several notices grouped into a title and a
// plain-text body — and FormatMessage, the pure function that builds it.
//
// Grouping is what keeps chat readable: a night of renewals becomes one message
// "87 certificates renewed" listing the domains, not 87 messages.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/clock.h"
#include "notify/notice.h"

namespace certfleet::notify {

struct Message {
  // Stable across retries of the same batch, so receivers can drop duplicates
  // (delivery is at-least-once: a crash after sending and before recording repeats it).
  std::string id;
  Severity severity = Severity::kInfo;  // the worst of its notices
  std::string title;                    // one line, no markup
  std::string text;                     // plain text, lines separated by '\n', no markup
  std::vector<Notice> notices;          // the facts, for structured receivers
  TimePoint created_at{};
};

// Lines listed per kind before "... and N more".
inline constexpr std::size_t kMaxLinesPerKind = 25;

// Groups `notices` (at least one) by kind, worst severity first:
//   one notice:   title "Certificate renewed: shop.example.com", text with its details;
//   one kind:     title "87 certificates renewed", one line per notice;
//   mixed kinds:  title "12 certificate events: 10 renewed, 2 failed", a section per kind.
// Each line names the subject, customer and machines, the summary, and "Next: <action>".
Message FormatMessage(std::string id, const std::vector<Notice>& notices, TimePoint now);

// One line for a notice: "shop.example.com (customer Acme) on web-01, web-02: <summary>".
std::string NoticeLine(const Notice& n);

}  // namespace certfleet::notify
