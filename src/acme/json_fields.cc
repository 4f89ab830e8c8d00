#include "acme/json_fields.h"

namespace certfleet::acme::internal {
namespace {

constexpr int kMaxDepth = 32;

// True if the bracket nesting of `body` (outside strings) stays within kMaxDepth, so the
// recursive parser cannot exhaust the stack on hostile input.
bool NestingWithinLimit(std::string_view body) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') --depth;
    if (depth > kMaxDepth) return false;
  }
  return true;
}

Error Malformed(std::string_view what, std::string_view key, std::string_view problem) {
  return Error{ErrorCode::kProtocol, "the CA sent a malformed " + std::string(what) + ": \"" +
                                         std::string(key) + "\" " + std::string(problem)};
}

}  // namespace

Result<nlohmann::json> ParseJsonObject(std::string_view body, std::string_view what) {
  if (!NestingWithinLimit(body)) {
    return Fail(ErrorCode::kProtocol, "the CA sent a " + std::string(what) + " nested too deeply");
  }
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a " + std::string(what) + " that is not valid JSON");
  }
  if (!json.is_object()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a " + std::string(what) + " that is not a JSON object");
  }
  return json;
}

Result<std::string> RequiredString(const nlohmann::json& object, std::string_view key,
                                   std::string_view what) {
  auto it = object.find(key);
  if (it == object.end()) return Fail(Malformed(what, key, "is missing"));
  if (!it->is_string()) return Fail(Malformed(what, key, "is not a string"));
  return it->get<std::string>();
}

Result<std::string> OptionalString(const nlohmann::json& object, std::string_view key,
                                   std::string_view what) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Fail(Malformed(what, key, "is not a string"));
  return it->get<std::string>();
}

Result<std::vector<std::string>> OptionalStringArray(const nlohmann::json& object,
                                                     std::string_view key, std::string_view what) {
  std::vector<std::string> values;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return values;
  if (!it->is_array()) return Fail(Malformed(what, key, "is not an array"));
  for (const auto& element : *it) {
    if (!element.is_string())
      return Fail(Malformed(what, key, "has an element that is not a string"));
    values.push_back(element.get<std::string>());
  }
  return values;
}

Result<bool> OptionalBool(const nlohmann::json& object, std::string_view key, bool fallback,
                          std::string_view what) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) return Fail(Malformed(what, key, "is not a boolean"));
  return it->get<bool>();
}

bool LooksLikeHttpUrl(std::string_view url) {
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return url.size() > 8;
}

}  // namespace certfleet::acme::internal
