#include "hub/ui/expiry_chart.h"

#include <algorithm>

#include "hub/ui/format.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

constexpr int kWidth = 600;
constexpr int kHeight = 160;
constexpr int kPlotTop = 14;
constexpr int kPlotBottom = 130;

std::string Num(double v) { return std::to_string(static_cast<long long>(v)); }

}  // namespace

std::string ExpiryChartSvg(const std::vector<std::int64_t>& buckets, int bucket_days,
                           TimePoint now) {
  const std::int64_t max =
      std::max<std::int64_t>(1, *std::max_element(buckets.begin(), buckets.end()));
  const double slot =
      buckets.empty() ? kWidth : double{kWidth} / static_cast<double>(buckets.size());
  std::string out = "<svg viewBox=\"0 0 " + Num(kWidth) + " " + Num(kHeight) +
                    "\" role=\"img\" aria-label=\"certificate expiries per " + Num(bucket_days) +
                    " days over the next " +
                    Num(static_cast<double>(bucket_days) * static_cast<double>(buckets.size())) +
                    " days\"><line class=\"axis\" x1=\"0\" y1=\"" + Num(kPlotBottom) + "\" x2=\"" +
                    Num(kWidth) + "\" y2=\"" + Num(kPlotBottom) + "\"/>";
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    const double h =
        double{kPlotBottom - kPlotTop} * static_cast<double>(buckets[i]) / static_cast<double>(max);
    const double x = slot * static_cast<double>(i);
    const auto from = now + std::chrono::hours(24 * bucket_days * static_cast<int>(i));
    const auto to = from + std::chrono::hours(24 * bucket_days);
    const std::string title = DateText(from) + " – " + DateText(to) + ": " +
                              std::to_string(buckets[i]) + " certificate(s)";
    out += "<g><title>" + Escape(title) + "</title><rect class=\"bar\" x=\"" + Num(x + 2) +
           "\" y=\"" + Num(kPlotBottom - h) + "\" width=\"" + Num(std::max(1.0, slot - 4)) +
           "\" height=\"" + Num(h) + "\"/>";
    if (buckets[i] > 0) {
      out += "<text x=\"" + Num(x + slot / 2) + "\" y=\"" + Num(kPlotBottom - h - 3) +
             "\" text-anchor=\"middle\">" + std::to_string(buckets[i]) + "</text>";
    }
    out += "</g>";
    if (i % 3 == 0) {
      out += "<text x=\"" + Num(x + 2) + "\" y=\"" + Num(kPlotBottom + 14) + "\">" +
             Escape(DateText(from).substr(5)) + "</text>";
    }
  }
  return out + "</svg>";
}

}  // namespace certfleet::hub::ui
