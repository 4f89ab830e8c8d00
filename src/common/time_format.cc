#include "common/time_format.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace certfleet {
namespace {

bool ParseInt(std::string_view text, size_t pos, size_t len, int& out) {
  if (pos + len > text.size()) return false;
  const char* first = text.data() + pos;
  auto [ptr, ec] = std::from_chars(first, first + len, out);
  return ec == std::errc() && ptr == first + len;
}

bool Expect(std::string_view text, size_t pos, char a, char b = '\0') {
  return pos < text.size() && (text[pos] == a || (b != '\0' && text[pos] == b));
}

}  // namespace

std::string FormatRfc3339(TimePoint t) {
  const std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<TimePoint> ParseRfc3339(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ParseInt(text, 0, 4, year) || !Expect(text, 4, '-') || !ParseInt(text, 5, 2, month) ||
      !Expect(text, 7, '-') || !ParseInt(text, 8, 2, day) || !Expect(text, 10, 'T', 't') ||
      !ParseInt(text, 11, 2, hour) || !Expect(text, 13, ':') || !ParseInt(text, 14, 2, minute) ||
      !Expect(text, 16, ':') || !ParseInt(text, 17, 2, second)) {
    return std::nullopt;
  }
  size_t pos = 19;
  if (Expect(text, pos, '.')) {
    ++pos;
    const size_t digits_start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  int offset_minutes = 0;
  if (Expect(text, pos, 'Z', 'z')) {
    ++pos;
  } else if (Expect(text, pos, '+', '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!ParseInt(text, pos + 1, 2, oh) || !Expect(text, pos + 3, ':') ||
        !ParseInt(text, pos + 4, 2, om)) {
      return std::nullopt;
    }
    offset_minutes = sign * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  auto utc = CivilTimeUtc(year, month, day, hour, minute, second);
  if (!utc) return std::nullopt;
  return *utc - std::chrono::minutes(offset_minutes);
}

std::optional<TimePoint> CivilTimeUtc(int year, int month, int day, int hour, int minute,
                                      int second) {
  if (year < 1678 || year > 2261 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(std::chrono::sys_days(ymd)) + std::chrono::hours(hour) +
         std::chrono::minutes(minute) + std::chrono::seconds(second);
}

}  // namespace certfleet
