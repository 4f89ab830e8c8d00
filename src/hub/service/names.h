// Checks of the names people give customers, machines and tokens, and of dates.
#pragma once

#include <chrono>
#include <string_view>

#include "common/error.h"

namespace certfleet::hub::service {

// 1..100 printable characters, no '/', '\' or control characters (names travel in URL
// paths and file names). Errors are about the field labelled `label`.
Status CheckName(std::string_view name, std::string_view label);

// "2027-03-31" → the date; kInvalidArgument about `label` otherwise, showing the format.
Result<std::chrono::year_month_day> ParseDate(std::string_view text, std::string_view label);
// The date as "2027-03-31".
std::string DateString(std::chrono::year_month_day date);

}  // namespace certfleet::hub::service
