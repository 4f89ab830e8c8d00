#include "cli/json_text.h"

namespace certfleet::cli {

using nlohmann::json;

std::string Text(const json& j, const char* key, const std::string& none) {
  if (!j.is_object() || !j.contains(key)) return none;
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return none;
  return v.dump();
}

std::string Joined(const json& list, const std::string& separator) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!out.empty()) out += separator;
    out += item.is_string() ? item.get<std::string>() : item.dump();
  }
  return out;
}

const json& Items(const json& page) {
  static const json kEmpty = json::array();
  if (!page.is_object() || !page.contains("items") || !page["items"].is_array()) return kEmpty;
  return page["items"];
}

std::string DateOf(const json& j, const char* key) {
  const std::string t = Text(j, key);
  return t.size() >= 10 ? t.substr(0, 10) : t;
}

}  // namespace certfleet::cli
