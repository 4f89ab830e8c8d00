#include "hub/api/json_text.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "common/utf8.h"

namespace certfleet::hub::api {

namespace {

bool IsAscii(std::string_view text) {
  unsigned char any = 0;
  for (const char c : text) any |= static_cast<unsigned char>(c);  // vectorizes
  return any < 0x80;
}

// The escape of a byte that needs one: '"', '\\' and the control characters.
void AppendEscape(unsigned char c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
  }
}

}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  if (!IsAscii(text) && !IsValidUtf8(text)) {  // nlohmann's own replacement rule
    out += nlohmann::json(std::string(text))
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return;
  }
  out += '"';
  std::size_t plain = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + plain, i - plain);
    AppendEscape(c, out);
    plain = i + 1;
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

JsonText& JsonText::Open(char bracket) {
  BeforeValue();
  out_ += bracket;
  empty_.push_back(true);
  return *this;
}

JsonText& JsonText::Close(char bracket) {
  out_ += bracket;
  empty_.pop_back();
  return *this;
}

void JsonText::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (empty_.empty()) return;
  if (!empty_.back()) out_ += ',';
  empty_.back() = false;
}

JsonText& JsonText::Key(std::string_view key) {
  BeforeValue();
  AppendJsonString(key, out_);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonText& JsonText::String(std::string_view value) {
  BeforeValue();
  AppendJsonString(value, out_);
  return *this;
}

JsonText& JsonText::Int(std::int64_t value) {
  BeforeValue();
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out_.append(digits, end);
  return *this;
}

JsonText& JsonText::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonText& JsonText::Time(std::optional<TimePoint> t) {
  return t ? String(FormatRfc3339(*t)) : Null();
}

JsonText& JsonText::Strings(const std::vector<std::string>& values) {
  BeginArray();
  for (const auto& v : values) String(v);
  return EndArray();
}

}  // namespace certfleet::hub::api
