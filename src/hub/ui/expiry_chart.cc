#include "hub/ui/expiry_chart.h"

#include <algorithm>
#include <array>
#include <chrono>

#include "hub/ui/format.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

constexpr int kWidth = 640;
constexpr int kHeight = 170;
constexpr int kPlotTop = 16;
constexpr int kPlotBottom = 132;

std::string Num(double v) { return std::to_string(static_cast<long long>(v)); }

std::string Bar(double x, double slot, std::int64_t n, std::int64_t max, std::string_view cls,
                const std::string& title) {
  const double h =
      double{kPlotBottom - kPlotTop} * static_cast<double>(n) / static_cast<double>(max);
  std::string out = "<g><title>" + Escape(title) + "</title><rect class=\"" + Escape(cls) +
                    "\" x=\"" + Num(x + 3) + "\" y=\"" + Num(kPlotBottom - h) + "\" width=\"" +
                    Num(std::max(1.0, slot - 6)) + "\" height=\"" + Num(h) + "\"/>";
  if (n > 0) {
    out += "<text x=\"" + Num(x + slot / 2) + "\" y=\"" + Num(kPlotBottom - h - 4) +
           "\" text-anchor=\"middle\">" + std::to_string(n) + "</text>";
  }
  return out + "</g>";
}

std::string_view Urgency(std::size_t week) {
  if (week == 0) return "bar bad";
  if (week < 4) return "bar warn";
  return "bar";
}

}  // namespace

std::string DayMonthYear(TimePoint t) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
  return std::to_string(static_cast<unsigned>(ymd.day())) + " " +
         std::string(kMonths[static_cast<unsigned>(ymd.month()) - 1]) + " " +
         std::to_string(static_cast<int>(ymd.year()));
}

std::string ExpiryChartSvg(std::int64_t expired, const std::vector<std::int64_t>& weeks,
                           TimePoint now) {
  std::int64_t max = std::max<std::int64_t>(1, expired);
  for (auto n : weeks) max = std::max(max, n);
  const double slot = double{kWidth} / static_cast<double>(weeks.size() + 1);
  std::string out = "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) +
                    "\" role=\"img\" aria-label=\"certificates expired and expiring per week over "
                    "the next " +
                    std::to_string(weeks.size()) + " weeks\"><line class=\"axis\" x1=\"0\" y1=\"" +
                    Num(kPlotBottom) + "\" x2=\"" + Num(kWidth) + "\" y2=\"" + Num(kPlotBottom) +
                    "\"/>";
  out += Bar(0, slot, expired, max, "bar expired",
             "already expired: " + std::to_string(expired) + " certificate(s)");
  out += "<text x=\"" + Num(slot / 2) + "\" y=\"" + Num(kPlotBottom + 14) +
         "\" text-anchor=\"middle\">expired</text>";
  for (std::size_t i = 0; i < weeks.size(); ++i) {
    const double x = slot * static_cast<double>(i + 1);
    const auto from = now + std::chrono::hours(24 * 7 * static_cast<int>(i));
    const auto to = from + std::chrono::hours(24 * 7);
    out += Bar(x, slot, weeks[i], max, Urgency(i),
               DayMonthYear(from) + " – " + DayMonthYear(to) + ": " + std::to_string(weeks[i]) +
                   " certificate(s)");
    if (i % 4 == 0 && i + 3 < weeks.size()) {
      out += "<text x=\"" + Num(x + 3) + "\" y=\"" + Num(kPlotBottom + 14) + "\">" +
             Escape(DayMonthYear(from)) + "</text>";
    }
  }
  return out + "</svg>";
}

}  // namespace certfleet::hub::ui
