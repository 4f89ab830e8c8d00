// Small formatters shared by the pages: times for people, status badges. Output is HTML
// (already escaped) unless the name says Text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "hub/service/domain_state.h"
#include "store/model.h"

namespace certfleet::hub::ui {

// "2026-11-29 01:52 UTC"; "—" for nullopt. Plain text (no markup characters).
std::string TimeText(std::optional<TimePoint> t);
// "2026-11-29"; "—" for nullopt.
std::string DateText(std::optional<TimePoint> t);
// "in 3 days", "5 min ago", "just now". Plain text.
std::string RelativeText(TimePoint now, TimePoint t);
// <time title="exact">relative</time>, escaped; "—" for nullopt.
std::string WhenHtml(TimePoint now, std::optional<TimePoint> t);
// <span class="badge STATUS">STATUS</span>.
std::string BadgeHtml(std::string_view status);
// The honest state as a badge coloured by its tone: <span class="badge TONE">label</span>.
std::string StateBadgeHtml(const service::DomainState& state);
// The expiry date, marked class="past" once passed and with a hint when it is soon.
std::string ExpiryHtml(TimePoint now, std::optional<TimePoint> not_after);

}  // namespace certfleet::hub::ui
