// RFC 3339 timestamps, as ACME (RFC 8555 §7.1) and our API exchange them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace certfleet {

// "2026-11-28T22:38:01Z" (seconds precision, always UTC).
std::string FormatRfc3339(TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)", 't'/'z' in lower case too.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

// A UTC calendar time (second 60, a leap second, allowed) as a TimePoint, or nullopt when it is
// no valid date or lies outside the years 1678..2261: TimePoint counts nanoseconds in 64 bits
// (1677-09-21 to 2262-04-11), and a later year would wrap (signed overflow). Every parser of a
// peer's timestamp goes through here (found by tests/fuzz/acme_ari_fuzz and x509_fuzz).
std::optional<TimePoint> CivilTimeUtc(int year, int month, int day, int hour, int minute,
                                      int second);

}  // namespace certfleet
