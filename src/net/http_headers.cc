#include "net/http_headers.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "common/time_format.h"

namespace certfleet::net {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<unsigned> MonthNumber(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return i + 1;
  }
  return std::nullopt;
}

// RFC 9110 §5.6.7 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (fixed widths).
std::optional<TimePoint> ParseImfFixdate(std::string_view text) {
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT")
    return std::nullopt;
  auto day = ParseInt(text.substr(5, 2));
  auto month = MonthNumber(text.substr(8, 3));
  auto year = ParseInt(text.substr(12, 4));
  auto hour = ParseInt(text.substr(17, 2));
  auto minute = ParseInt(text.substr(20, 2));
  auto second = ParseInt(text.substr(23, 2));
  if (!day || !month || !year || !hour || !minute || !second || text[19] != ':' ||
      text[22] != ':') {
    return std::nullopt;
  }
  // "9999" is four digits too: the shared conversion refuses a year a TimePoint cannot hold.
  return CivilTimeUtc(*year, static_cast<int>(*month), *day, *hour, *minute, *second);
}

// The rel parameter's value (unquoted) in one link's parameter list, or "".
std::string_view RelParameter(std::string_view params) {
  while (!params.empty()) {
    size_t semi = params.find(';');
    std::string_view param = Trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
    size_t eq = param.find('=');
    if (eq == std::string_view::npos || Trim(param.substr(0, eq)) != "rel") continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

bool RelMatches(std::string_view rels, std::string_view wanted) {
  // A rel value may hold several space-separated relation types (RFC 8288 §3.3).
  while (!rels.empty()) {
    size_t space = rels.find(' ');
    if (rels.substr(0, space) == wanted) return true;
    if (space == std::string_view::npos) break;
    rels.remove_prefix(space + 1);
  }
  return false;
}

// Finds the end of one link's parameters: the next ',' outside a quoted string.
size_t ParamsEnd(std::string_view text) {
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') quoted = !quoted;
    if (text[i] == ',' && !quoted) return i;
  }
  return text.size();
}

void ParseLinkValue(std::string_view value, std::string_view rel, std::vector<std::string>* out) {
  while (true) {
    size_t open = value.find('<');
    if (open == std::string_view::npos) return;
    size_t close = value.find('>', open);
    if (close == std::string_view::npos) return;
    std::string_view target = value.substr(open + 1, close - open - 1);
    value.remove_prefix(close + 1);
    size_t end = ParamsEnd(value);
    if (RelMatches(RelParameter(value.substr(0, end)), rel)) out->emplace_back(target);
    value.remove_prefix(end);
  }
}

}  // namespace

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.push_back(Field{std::move(name), std::move(value)});
}

std::optional<std::string> HttpHeaders::Get(std::string_view name) const {
  for (const Field& field : fields_) {
    if (EqualsIgnoreCase(field.name, name)) return field.value;
  }
  return std::nullopt;
}

std::vector<std::string> HttpHeaders::GetAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const Field& field : fields_) {
    if (EqualsIgnoreCase(field.name, name)) values.push_back(field.value);
  }
  return values;
}

std::optional<Duration> ParseRetryAfter(std::string_view value, TimePoint now) {
  value = Trim(value);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    auto seconds = ParseInt(value);
    if (!seconds || *seconds < 0) return std::nullopt;
    return std::chrono::duration_cast<Duration>(std::chrono::seconds(*seconds));
  }
  auto when = ParseImfFixdate(value);
  if (!when) return std::nullopt;
  if (*when <= now) return Duration(0);
  return std::chrono::duration_cast<Duration>(*when - now);
}

std::vector<std::string> ParseLinks(const std::vector<std::string>& field_values,
                                    std::string_view rel) {
  std::vector<std::string> targets;
  for (const std::string& value : field_values) ParseLinkValue(value, rel, &targets);
  return targets;
}

}  // namespace certfleet::net
