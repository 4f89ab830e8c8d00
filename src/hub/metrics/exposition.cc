#include "hub/metrics/exposition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace certfleet::hub::metrics {

void AppendLabelValue(std::string& out, std::string_view value) {
  // Names rarely need escaping: copy them whole when they do not (one pass, no memchr per
  // character as find_first_of does).
  if (std::none_of(value.begin(), value.end(),
                   [](char c) { return c == '\\' || c == '"' || c == '\n'; })) {
    out.append(value);
    return;
  }
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

void AppendSampleValue(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buffer[32];
  std::to_chars_result written{};
  if (std::fabs(value) < 9.0e15 && value == std::floor(value)) {
    written = std::to_chars(buffer, buffer + sizeof buffer, static_cast<std::int64_t>(value));
  } else {
    written = std::to_chars(buffer, buffer + sizeof buffer, value);
  }
  out.append(buffer, written.ptr);
}

void Exposition::Family(std::string_view name, std::string_view type, std::string_view help) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  for (char c : help) out_ += c == '\n' ? ' ' : c;
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type;
  out_ += '\n';
}

void Exposition::Sample(std::string_view name, std::initializer_list<Label> labels, double value) {
  Sample(name, "", labels, value);
}

void Exposition::Sample(std::string_view name, std::string_view suffix,
                        std::initializer_list<Label> labels, double value) {
  out_ += name;
  out_ += suffix;
  if (labels.size() > 0) {
    char separator = '{';
    for (const auto& [key, value_text] : labels) {
      out_ += separator;
      out_ += key;
      out_ += "=\"";
      AppendLabelValue(out_, value_text);
      out_ += '"';
      separator = ',';
    }
    out_ += '}';
  }
  out_ += ' ';
  AppendSampleValue(out_, value);
  out_ += '\n';
}

}  // namespace certfleet::hub::metrics
