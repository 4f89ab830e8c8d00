#include "notify/payloads.h"

#include <nlohmann/json.hpp>

#include "common/encoding.h"
#include "common/time_format.h"
#include "crypto/hash.h"

namespace certfleet::notify {
namespace {

using json = nlohmann::json;

constexpr std::size_t kSlackSectionLimit = 3000;

std::string_view ColorFor(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "#2eb886";
    case Severity::kWarning:
      return "#daa038";
    case Severity::kCritical:
      return "#a30200";
  }
  return "#2eb886";
}

// Cuts at a UTF-8 boundary so the result stays valid JSON text.
std::string Truncated(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "...";
}

}  // namespace

std::string RocketChatEscape(std::string_view text) {
  constexpr std::string_view kZeroWidthSpace = "\xE2\x80\x8B";
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    const bool link_target = text[i] == ']' && i + 1 < text.size() && text[i + 1] == '(';
    if (text[i] == '@' || text[i] == '<' || link_target) out += kZeroWidthSpace;
  }
  return out;
}

json RocketChatPayload(const Message& m) {
  const std::string title = RocketChatEscape(m.title);
  return json{{"alias", "certfleet"},
              {"text", title},
              {"attachments", json::array({json{{"title", title},
                                                {"text", RocketChatEscape(m.text)},
                                                {"color", ColorFor(m.severity)}}})}};
}

std::string SlackEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

json SlackPayload(const Message& m) {
  json header{{"type", "header"},
              {"text", {{"type", "plain_text"}, {"text", Truncated(m.title, 150)}}}};
  json section{
      {"type", "section"},
      {"text", {{"type", "mrkdwn"}, {"text", Truncated(SlackEscape(m.text), kSlackSectionLimit)}}}};
  return json{{"text", SlackEscape(m.title + "\n" + m.text)},
              {"blocks", json::array({header, section})}};
}

json WebhookPayload(const Message& m) {
  json notices = json::array();
  for (const auto& n : m.notices) notices.push_back(NoticeToJson(n));
  return json{{"id", m.id},     {"severity", SeverityName(m.severity)},      {"title", m.title},
              {"text", m.text}, {"created_at", FormatRfc3339(m.created_at)}, {"notices", notices}};
}

std::string WebhookSignature(std::string_view secret, std::string_view timestamp,
                             std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  return "sha256=" + HexEncode(crypto::HmacSha256(secret, signed_text));
}

}  // namespace certfleet::notify
