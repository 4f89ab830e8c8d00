#include "hub/ui/html.h"

#include <array>
#include <cstdint>

#include "common/utf8.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool IsAllowedControl(char c) { return c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::string Escape(std::string_view raw) {
  // After ToValidUtf8 every byte >= 0x80 belongs to a well-formed character and is copied
  // as it is; only ASCII needs a look.
  const std::string text = ToValidUtf8(raw);
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
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
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default: {
        const auto u = static_cast<std::uint8_t>(c);
        if ((u < 0x20 && !IsAllowedControl(c)) || u == 0x7F) {
          out += kReplacement;
        } else {
          out += c;
        }
      }
    }
  }
  return out;
}

std::string UrlComponent(std::string_view text) {
  static constexpr std::array<char, 16> kHex = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<std::uint8_t>(c);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0Fu];
    }
  }
  return out;
}

std::string UrlWithQuery(std::string_view path,
                         std::initializer_list<std::pair<std::string_view, std::string>> params) {
  std::string out(path);
  char separator = '?';
  for (const auto& [key, value] : params) {
    if (value.empty()) continue;
    out += separator;
    out += UrlComponent(key);
    out += '=';
    out += UrlComponent(value);
    separator = '&';
  }
  return out;
}

std::string Link(std::string_view href, std::string_view text) {
  return "<a href=\"" + Escape(href) + "\">" + Escape(text) + "</a>";
}

}  // namespace certfleet::hub::ui
