// The dashboard's bar chart of certificate expiries over the next days, as inline SVG
// (no script, no external resource). Pure; the output is escaped HTML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::hub::ui {

// One bar per bucket of `bucket_days` days starting at `now`; each bar has a <title> with
// its date range and count, and a text label when it is not zero.
std::string ExpiryChartSvg(const std::vector<std::int64_t>& buckets, int bucket_days,
                           TimePoint now);

}  // namespace certfleet::hub::ui
