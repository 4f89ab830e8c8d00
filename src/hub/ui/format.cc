#include "hub/ui/format.h"

#include <chrono>

#include "common/time_format.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

using std::chrono::duration_cast;

// Plural-aware "3 days" for a positive count.
std::string Amount(long long n, std::string_view unit) {
  return std::to_string(n) + " " + std::string(unit) + (n == 1 ? "" : "s");
}

std::string Span(std::chrono::seconds d) {
  const long long s = d.count();
  if (s < 60) return Amount(s, "second");
  if (s < 3600) return Amount(s / 60, "minute");
  if (s < 86400 * 2) return Amount(s / 3600, "hour");
  return Amount(s / 86400, "day");
}

}  // namespace

std::string TimeText(std::optional<TimePoint> t) {
  if (!t) return "—";
  std::string text = FormatRfc3339(*t);  // 2026-11-29T01:52:05Z
  return text.substr(0, 10) + " " + text.substr(11, 5) + " UTC";
}

std::string DateText(std::optional<TimePoint> t) {
  if (!t) return "—";
  return FormatRfc3339(*t).substr(0, 10);
}

std::string RelativeText(TimePoint now, TimePoint t) {
  const auto d = duration_cast<std::chrono::seconds>(t - now);
  if (d.count() > -5 && d.count() < 5) return "just now";
  if (d.count() > 0) return "in " + Span(d);
  return Span(-d) + " ago";
}

std::string WhenHtml(TimePoint now, std::optional<TimePoint> t) {
  if (!t) return "—";
  return "<time datetime=\"" + Escape(FormatRfc3339(*t)) + "\" title=\"" + Escape(TimeText(t)) +
         "\">" + Escape(RelativeText(now, *t)) + "</time>";
}

std::string BadgeHtml(std::string_view status) {
  return "<span class=\"badge " + Escape(status) + "\">" + Escape(status) + "</span>";
}

std::string StateBadgeHtml(const service::DomainState& state) {
  return "<span class=\"badge " + Escape(service::ToneName(state.tone)) + "\">" +
         Escape(state.label) + "</span>";
}

std::string ExpiryHtml(TimePoint now, std::optional<TimePoint> not_after) {
  if (!not_after) return "<span class=\"muted\">—</span>";
  const std::string date = Escape(DateText(not_after));
  if (*not_after <= now)
    return "<span class=\"past\" title=\"expired\">" + date + " (expired)</span>";
  const auto days = duration_cast<std::chrono::hours>(*not_after - now).count() / 24;
  if (days < 30)
    return "<span class=\"past\">" + date + " (" + Escape(Amount(days, "day")) + ")</span>";
  return date;
}

}  // namespace certfleet::hub::ui
