// The bodies our HTTP channels send (pure functions, unit-tested for their shapes).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "notify/message.h"

namespace certfleet::notify {

// Rocket.Chat incoming webhook (POST JSON):
//   {"alias": "certfleet", "text": "<title>",
//    "attachments": [{"title": "<title>", "text": "<text>", "color": "#a30200"}]}
// Title and text pass through RocketChatEscape.
nlohmann::json RocketChatPayload(const Message& m);

// Slack incoming webhook; "text" is the notification fallback and what Slack-compatible
// receivers without Block Kit (Mattermost) show:
//   {"text": "<title>\n<text>", "blocks": [{"type": "header", ...},
//                                          {"type": "section", "text": {"type": "mrkdwn", ...}}]}
// `&`, `<`, `>` are escaped as Slack requires; a section holds at most 3000 characters.
nlohmann::json SlackPayload(const Message& m);

// Generic JSON webhook body:
//   {"id", "severity", "title", "text", "created_at" (RFC 3339),
//    "notices": [{"kind", "severity", "subject", "customer", "machines", "summary",
//                 "action", "at" (unix ms or null)}]}
nlohmann::json WebhookPayload(const Message& m);

// The webhook signature header value: "sha256=" + hex(HMAC-SHA256(secret,
// timestamp + "." + body)). The receiver recomputes it over the X-Certfleet-Timestamp
// header and the raw body, compares in constant time and rejects old timestamps (replay).
std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body);

// Rocket.Chat renders markdown, @mentions and <url|text> links. Messages carry text from
// agents (deployment errors), machine names and CA errors, which must neither ping people
// (@all, @here) nor plant a link under innocent text. A zero-width space (U+200B) after
// '@' and '<' and between ']' and '(' breaks each of those without changing what people
// read.
std::string RocketChatEscape(std::string_view text);

// Slack mrkdwn escaping of & < >.
std::string SlackEscape(std::string_view text);

}  // namespace certfleet::notify
