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

}  // namespace certfleet
