// The dashboard's bar chart of certificate expiries, week by week, as inline SVG (no
// script, no external resource, no style attribute). Pure; the output is escaped HTML.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::hub::ui {

// A first bar for certificates already expired, then one bar per week starting at `now`.
// Bars are coloured by urgency (class "bar bad": expired or ending within a week, "bar
// warn": within four weeks, "bar": later); each has a <title> with its dates (with the
// year) and count, and a number above it when it is not zero. The axis names the first day
// of every fourth week as "6 Dec 2026".
std::string ExpiryChartSvg(std::int64_t expired, const std::vector<std::int64_t>& weeks,
                           TimePoint now);

// "6 Dec 2026".
std::string DayMonthYear(TimePoint t);

}  // namespace certfleet::hub::ui
