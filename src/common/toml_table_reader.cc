#include "common/toml_table_reader.h"

#include <sstream>

namespace certfleet {

Result<toml::table> ParseTomlDocument(std::string_view text, std::string_view source) {
  try {
    return toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    std::ostringstream where;
    where << e.source().begin;
    return Fail(ErrorCode::kInvalidArgument, "config " + std::string(source) + ": " +
                                                 std::string(e.description()) + " (" + where.str() +
                                                 ")");
  }
}

Status TomlTableReader::String(std::string_view key, std::string& out) {
  const toml::node* node = Take(key);
  if (node == nullptr) return Ok();
  if (!node->is_string()) return Bad(key, "must be a string");
  out = node->as_string()->get();
  return Ok();
}

Status TomlTableReader::Int(std::string_view key, std::int64_t min, std::int64_t max,
                            std::int64_t& out) {
  const toml::node* node = Take(key);
  if (node == nullptr) return Ok();
  if (!node->is_integer()) return Bad(key, "must be an integer");
  std::int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    return Bad(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                        ", got " + std::to_string(value));
  }
  out = value;
  return Ok();
}

Status TomlTableReader::Int(std::string_view key, int min, int max, int& out) {
  std::int64_t value = out;
  if (auto s = Int(key, std::int64_t{min}, std::int64_t{max}, value); !s) return s;
  out = static_cast<int>(value);
  return Ok();
}

Status TomlTableReader::Bool(std::string_view key, bool& out) {
  const toml::node* node = Take(key);
  if (node == nullptr) return Ok();
  if (!node->is_boolean()) return Bad(key, "must be true or false");
  out = node->as_boolean()->get();
  return Ok();
}

Status TomlTableReader::Bool(std::string_view key, std::optional<bool>& out) {
  bool value = false;
  const bool present = table_.contains(key);
  if (auto s = Bool(key, value); !s) return s;
  if (present) out = value;
  return Ok();
}

Status TomlTableReader::Strings(std::string_view key, std::vector<std::string>& out) {
  const toml::node* node = Take(key);
  if (node == nullptr) return Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return Bad(key, "must be an array of strings");
  std::vector<std::string> values;
  for (const auto& item : *array) {
    if (!item.is_string()) return Bad(key, "must be an array of strings");
    values.push_back(item.as_string()->get());
  }
  out = std::move(values);
  return Ok();
}

const toml::node* TomlTableReader::Take(std::string_view key) {
  used_.insert(std::string(key));
  return table_.get(key);
}

Status TomlTableReader::RejectUnknown() const {
  std::string unknown;
  for (const auto& [key, node] : table_) {
    if (used_.count(std::string(key.str())) != 0) continue;
    unknown += (unknown.empty() ? "" : ", ") + prefix_ + std::string(key.str());
  }
  if (unknown.empty()) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "config " + std::string(source_) + ": unknown key(s): " + unknown);
}

tl::unexpected<Error> TomlTableReader::Bad(std::string_view key, const std::string& message) const {
  return Fail(ErrorCode::kInvalidArgument, "config " + std::string(source_) + ": " + prefix_ +
                                               std::string(key) + ": " + message);
}

}  // namespace certfleet
