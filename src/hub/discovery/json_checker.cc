#include "hub/discovery/json_checker.h"

#include <algorithm>

namespace certfleet::hub::discovery {
namespace {

using nlohmann::json;

const json& EmptyObject() {
  static const json empty = json::object();
  return empty;
}

const json& EmptyArray() {
  static const json empty = json::array();
  return empty;
}

std::string Join(std::initializer_list<std::string_view> items) {
  std::string out;
  for (auto i : items) out += (out.empty() ? "" : ", ") + std::string(i);
  return out;
}

bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
void Truncate(std::string& text, std::size_t max) {
  if (text.size() <= max) return;
  std::size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
}

}  // namespace

void JsonChecker::Bad(const std::string& path, const std::string& why) {
  if (!error_)
    error_ = Error{ErrorCode::kInvalidArgument, "inventory report: " + path + ": " + why};
}

const json& JsonChecker::Object(const json& value, const std::string& path,
                                std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    Bad(path.empty() ? "body" : path, "must be a JSON object");
    return EmptyObject();
  }
  for (const auto& [key, unused] : value.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      Bad(path.empty() ? key : path + "." + key, "unknown field (allowed: " + Join(allowed) + ")");
    }
  }
  return value;
}

const json* JsonChecker::Field(const json& object, std::string_view key, const std::string& path) {
  auto it = object.find(key);
  const std::string where = path.empty() ? std::string(key) : path + "." + std::string(key);
  if (it == object.end()) {
    Bad(where, "is required");
    return nullptr;
  }
  return &*it;
}

const json& JsonChecker::Array(const json& object, std::string_view key, const std::string& path,
                               std::size_t max) {
  const json* value = Field(object, key, path);
  const std::string where = path.empty() ? std::string(key) : path + "." + std::string(key);
  if (value == nullptr) return EmptyArray();
  if (!value->is_array()) {
    Bad(where, "must be an array");
    return EmptyArray();
  }
  if (value->size() > max) {
    Bad(where, "has " + std::to_string(value->size()) + " elements; at most " +
                   std::to_string(max) + " are accepted");
    return EmptyArray();
  }
  return *value;
}

std::string JsonChecker::Element(const json& value, const std::string& path, std::size_t max_bytes,
                                 TextKind kind) {
  if (!value.is_string()) {
    Bad(path, "must be a string");
    return {};
  }
  std::string text = value.get<std::string>();
  if (kind == TextKind::kLoose) {
    for (char& c : text) {
      if (IsControl(static_cast<unsigned char>(c))) c = ' ';
    }
    Truncate(text, max_bytes);
    return text;
  }
  if (text.size() > max_bytes) {
    Bad(path, "is longer than " + std::to_string(max_bytes) + " bytes");
    return {};
  }
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return IsControl(static_cast<unsigned char>(c)); })) {
    Bad(path, "contains control characters");
    return {};
  }
  return text;
}

std::string JsonChecker::String(const json& object, std::string_view key, const std::string& path,
                                std::size_t max_bytes, TextKind kind) {
  const json* value = Field(object, key, path);
  if (value == nullptr) return {};
  return Element(*value, path.empty() ? std::string(key) : path + "." + std::string(key), max_bytes,
                 kind);
}

std::int64_t JsonChecker::Int(const json& object, std::string_view key, const std::string& path,
                              std::int64_t min, std::int64_t max) {
  const json* value = Field(object, key, path);
  if (value == nullptr) return min;
  const std::string where = path.empty() ? std::string(key) : path + "." + std::string(key);
  if (!value->is_number_integer()) {
    Bad(where, "must be an integer");
    return min;
  }
  const std::int64_t n = value->get<std::int64_t>();
  if (n < min || n > max) {
    Bad(where, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return min;
  }
  return n;
}

bool JsonChecker::Bool(const json& object, std::string_view key, const std::string& path) {
  const json* value = Field(object, key, path);
  if (value == nullptr) return false;
  if (!value->is_boolean()) {
    Bad(path.empty() ? std::string(key) : path + "." + std::string(key), "must be true or false");
    return false;
  }
  return value->get<bool>();
}

std::string JsonChecker::Choice(const json& object, std::string_view key, const std::string& path,
                                std::initializer_list<std::string_view> choices) {
  std::string value = String(object, key, path, 64);
  if (ok() && std::find(choices.begin(), choices.end(), value) == choices.end()) {
    Bad(path.empty() ? std::string(key) : path + "." + std::string(key),
        "must be one of " + Join(choices));
  }
  return value;
}

std::string JsonChecker::Sha256(const json& object, std::string_view key, const std::string& path,
                                bool required) {
  std::string value = String(object, key, path, 64);
  const bool empty_ok = value.empty() && !required;
  const bool hex = value.size() == 64 && std::all_of(value.begin(), value.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (ok() && !empty_ok && !hex) {
    Bad(path.empty() ? std::string(key) : path + "." + std::string(key),
        "must be a SHA-256 fingerprint (64 lower-case hex digits)");
  }
  return value;
}

}  // namespace certfleet::hub::discovery
