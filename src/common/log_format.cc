#include "common/log_format.h"

#include <spdlog/formatter.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <array>
#include <ctime>

namespace certfleet {
namespace {

bool IsBase64Url(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// A token secret is "cf_" + base64url(32 bytes) = 43 characters; 40 leaves room for
// truncated copies while sparing ordinary words that start with "cf_".
constexpr std::size_t kMinSecretTail = 40;
constexpr std::string_view kPemKeyBegin = "-----BEGIN ";
constexpr std::string_view kPrivateKeyLabel = "PRIVATE KEY-----";

// Length of the PEM private key block starting at `at` (which starts with kPemKeyBegin), or
// 0 when the block there is not a private key. An unterminated block runs to the end.
std::size_t PrivateKeyBlockLength(std::string_view text, std::size_t at) {
  const std::size_t label_end = text.find("-----", at + kPemKeyBegin.size());
  if (label_end == std::string_view::npos) return 0;
  const std::string_view header = text.substr(at, label_end + 5 - at);
  if (header.size() < kPrivateKeyLabel.size() ||
      header.substr(header.size() - kPrivateKeyLabel.size()) != kPrivateKeyLabel) {
    return 0;
  }
  const std::size_t end = text.find("-----END ", label_end + 5);
  if (end == std::string_view::npos) return text.size() - at;
  const std::size_t close = text.find("-----", end + 9);
  return (close == std::string_view::npos ? text.size() : close + 5) - at;
}

// Appends `text` as the inside of a JSON string: escapes quotes, backslashes and control
// characters, and replaces bytes that are not valid UTF-8 with U+FFFD.
void AppendJsonEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 15];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::size_t length = 0;  // of the UTF-8 sequence that starts here; 0 = invalid start
    if (c >= 0xf0 && c <= 0xf4) {
      length = 4;
    } else if (c >= 0xe0 && c < 0xf0) {
      length = 3;
    } else if (c >= 0xc2 && c < 0xe0) {
      length = 2;
    }
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
    }
    if (valid) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xef\xbf\xbd";
      ++i;
    }
  }
}

// "shop.example" in "shop.example: stored certificate 3": the convention of our log lines
// that concern one domain. Returns "" unless the prefix looks like a DNS name with a dot.
std::string_view DomainPrefix(std::string_view message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string_view::npos || colon == 0 || colon > 253) return {};
  const std::string_view name = message.substr(0, colon);
  bool dot = false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                    c == '*' || c == '_';
    if (!ok) return {};
    dot = dot || c == '.';
  }
  return dot && name.front() != '.' && name.back() != '.' ? name : std::string_view();
}

void AppendJsonField(std::string& out, std::string_view key, std::string_view value) {
  out += ",\"";
  AppendJsonEscaped(out, key);
  out += "\":\"";
  AppendJsonEscaped(out, RedactSecrets(value));
  out += '"';
}

std::string Rfc3339Millis(std::chrono::system_clock::time_point time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 40> buffer{};
  const std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  std::string out(buffer.data(), n);
  const auto rest = static_cast<int>(millis % 1000);
  out += '.';
  out += static_cast<char>('0' + rest / 100);
  out += static_cast<char>('0' + rest / 10 % 10);
  out += static_cast<char>('0' + rest % 10);
  out += 'Z';
  return out;
}

class JsonFormatter final : public spdlog::formatter {
 public:
  explicit JsonFormatter(std::string component) : component_(std::move(component)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto level = spdlog::level::to_string_view(msg.level);
    const std::string line = FormatJsonLogLine(
        msg.time, std::string_view(level.data(), level.size()), component_,
        std::string_view(msg.payload.data(), msg.payload.size()), CurrentLogFields());
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>(component_);
  }

 private:
  std::string component_;
};

// spdlog's usual line, with the message passed through EscapeLogText and RedactSecrets.
class TextFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string_view payload(msg.payload.data(), msg.payload.size());
    const std::string text = EscapeLogText(RedactSecrets(payload));
    if (text == payload) {
      inner_.format(msg, dest);
      return;
    }
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(text.data(), text.size());
    inner_.format(copy, dest);
    msg.color_range_start = copy.color_range_start;  // the level's colour on a terminal
    msg.color_range_end = copy.color_range_end;
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }

 private:
  spdlog::pattern_formatter inner_;  // spdlog's default pattern
};

}  // namespace

std::string EscapeLogText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((u < 0x20 && c != '\t') || u == 0x7f) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

Result<LogFormat> ParseLogFormat(std::string_view name) {
  if (name == "text") return LogFormat::kText;
  if (name == "json") return LogFormat::kJson;
  return Fail(ErrorCode::kInvalidArgument,
              "expected \"text\" or \"json\", got \"" + std::string(name) + "\"");
}

std::string RedactSecrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text.compare(i, 3, "cf_") == 0 && (i == 0 || !IsBase64Url(text[i - 1]))) {
      std::size_t end = i + 3;
      while (end < text.size() && IsBase64Url(text[end])) ++end;
      if (end - i - 3 >= kMinSecretTail) {
        out += "cf_[redacted]";
        i = end;
        continue;
      }
    }
    if (text.compare(i, kPemKeyBegin.size(), kPemKeyBegin) == 0) {
      if (const std::size_t length = PrivateKeyBlockLength(text, i); length > 0) {
        out += "[redacted private key]";
        i += length;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::string FormatJsonLogLine(std::chrono::system_clock::time_point time, std::string_view level,
                              std::string_view component, std::string_view message,
                              const std::vector<LogField>& fields) {
  std::string out = "{\"time\":\"" + Rfc3339Millis(time) + "\",\"level\":\"";
  AppendJsonEscaped(out, level);
  out += "\",\"component\":\"";
  AppendJsonEscaped(out, component);
  out += "\",\"message\":\"";
  AppendJsonEscaped(out, RedactSecrets(message));
  out += '"';
  bool has_domain = false;
  for (const auto& field : fields) has_domain = has_domain || field.first == "domain";
  if (!has_domain) {
    if (const std::string_view domain = DomainPrefix(message); !domain.empty()) {
      AppendJsonField(out, "domain", domain);
    }
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& [key, value] = fields[i];
    bool overridden = false;  // a later scope set the same key: it wins
    for (std::size_t k = i + 1; k < fields.size() && !overridden; ++k) {
      overridden = fields[k].first == key;
    }
    if (overridden) continue;
    const bool fixed = key == "time" || key == "level" || key == "component" || key == "message";
    AppendJsonField(out, fixed ? "field_" + key : key, value);
  }
  out += "}\n";
  return out;
}

void ConfigureLogging(LogFormat format, std::string_view component) {
  if (format == LogFormat::kJson) {
    spdlog::set_formatter(std::make_unique<JsonFormatter>(std::string(component)));
  } else {
    spdlog::set_formatter(std::make_unique<TextFormatter>());
  }
}

}  // namespace certfleet
