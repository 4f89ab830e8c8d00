#include "cli/import/renewal_conf.h"

namespace certfleet::cli::import {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    v = v.substr(1, v.size() - 2);
  }
  return std::string(v);
}

std::string Shown(std::string_view line) {
  return std::string(line.substr(0, 80)) + (line.size() > 80 ? "…" : "");
}

}  // namespace

std::string RenewalConf::Get(const std::string& key) const {
  auto it = top.find(key);
  return it == top.end() ? "" : it->second;
}

std::string RenewalConf::Param(const std::string& key) const {
  auto section = sections.find("renewalparams");
  if (section == sections.end()) return "";
  auto it = section->second.find(key);
  return it == section->second.end() ? "" : it->second;
}

Result<RenewalConf> ParseRenewalConf(std::string_view text, std::string_view file) {
  RenewalConf out;
  std::map<std::string, std::string>* current = &out.top;
  int number = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const auto where = std::string(file) + " line " + std::to_string(number) + ": ";
    if (line.front() == '[') {
      const size_t open = line.find_first_not_of('[');
      const size_t close = line.find(']', open);
      if (open == std::string_view::npos || close == std::string_view::npos || close == open) {
        return Fail(
            ErrorCode::kInvalidArgument,
            where + "expected a section like \"[renewalparams]\", got \"" + Shown(line) + "\"");
      }
      current = &out.sections[std::string(Trim(line.substr(open, close - open)))];
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || Trim(line.substr(0, eq)).empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  where + "expected \"key = value\", got \"" + Shown(line) + "\"");
    }
    (*current)[std::string(Trim(line.substr(0, eq)))] = Unquote(Trim(line.substr(eq + 1)));
  }
  return out;
}

}  // namespace certfleet::cli::import
