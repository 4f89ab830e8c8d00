#include "cli/json_text.h"

namespace certfleet::cli {

using nlohmann::json;

std::string Text(const json& j, const char* key, const std::string& none) {
  const json& v = Field(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return none;
  return v.dump();
}

const json& Field(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  const auto it = j.find(key);
  return it == j.end() ? kNull : *it;
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
  const json& items = Field(page, "items");
  return items.is_array() ? items : kEmpty;
}

std::string DateOf(const json& j, const char* key) {
  const std::string t = Text(j, key);
  return t.size() >= 10 ? t.substr(0, 10) : t;
}

}  // namespace certfleet::cli
