// Writing the Prometheus text exposition format (version 0.0.4, which OpenMetrics parsers
// also accept): "# HELP", "# TYPE", then one line per sample.
//
//   Exposition out(buffer);
//   out.Family("certfleet_orders", "gauge", "Orders in each state.");
//   out.Sample("certfleet_orders", {{"state", "pending"}}, 3);
//
// Label values are escaped (backslash, double quote, newline); names are the caller's
// constants and not checked. Numbers: integral values print as integers, others in the
// shortest form that reads back exactly; NaN and infinities as Prometheus spells them.
// All samples of a family must follow its Family() line without another family between.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace certfleet::hub::metrics {

using Label = std::pair<std::string_view, std::string_view>;

class Exposition {
 public:
  explicit Exposition(std::string& out) : out_(out) {}

  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, std::initializer_list<Label> labels, double value);
  // The same with a name suffix, e.g. ("x", "_sum", ...) for a summary's parts.
  void Sample(std::string_view name, std::string_view suffix, std::initializer_list<Label> labels,
              double value);

 private:
  std::string& out_;
};

// Appends `value` escaped for a label value.
void AppendLabelValue(std::string& out, std::string_view value);
// Appends `value` as a sample value.
void AppendSampleValue(std::string& out, double value);

}  // namespace certfleet::hub::metrics
