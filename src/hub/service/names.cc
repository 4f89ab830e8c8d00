#include "hub/service/names.h"

#include <cstdio>
#include <string>

#include "hub/service/field_error.h"

namespace certfleet::hub::service {

Status CheckName(std::string_view name, std::string_view label) {
  if (name.empty()) return FieldError(label, "enter a name");
  if (name.size() > 100) return FieldError(label, "use at most 100 characters");
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '/' || c == '\\') {
      return FieldError(label, "use no '/', '\\' or control characters");
    }
  }
  return Ok();
}

Result<std::chrono::year_month_day> ParseDate(std::string_view text, std::string_view label) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const std::string s(text);
  std::chrono::year_month_day date{};
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3 && s.size() == 10) {
    date = std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m),
                                       std::chrono::day(d)};
  }
  if (!date.ok()) {
    return FieldError(label, "use a date like 2027-03-31 (year-month-day), got \"" + s + "\"");
  }
  return date;
}

std::string DateString(std::chrono::year_month_day date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

}  // namespace certfleet::hub::service
