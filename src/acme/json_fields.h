// Non-throwing access to untrusted JSON from the CA (internal to acme/).
//
// nlohmann::json throws on a wrong type; every ACME response is untrusted input, so all
// parsers read members through these helpers, which turn any surprise into a kProtocol
// error naming the document and the member.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet::acme::internal {

// Parses `body` as a JSON object (`what` names it in errors, e.g. "order"). Rejects
// non-objects, invalid JSON, and nesting deeper than 32 levels (stack safety).
Result<nlohmann::json> ParseJsonObject(std::string_view body, std::string_view what);

// A string member; kProtocol when absent or not a string.
Result<std::string> RequiredString(const nlohmann::json& object, std::string_view key,
                                   std::string_view what);
// A string member; "" when absent or null, kProtocol when another type.
Result<std::string> OptionalString(const nlohmann::json& object, std::string_view key,
                                   std::string_view what);
// An array of strings; empty when absent, kProtocol on another type or element type.
Result<std::vector<std::string>> OptionalStringArray(const nlohmann::json& object,
                                                     std::string_view key, std::string_view what);
// A boolean member; `fallback` when absent, kProtocol on another type.
Result<bool> OptionalBool(const nlohmann::json& object, std::string_view key, bool fallback,
                          std::string_view what);

// True if `url` starts with "https://" or "http://" and has no whitespace/control chars.
bool LooksLikeHttpUrl(std::string_view url);

}  // namespace certfleet::acme::internal
