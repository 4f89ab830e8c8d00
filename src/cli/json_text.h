// Reading the hub's JSON for people: field text, lists, pages, dates and days left.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace certfleet::cli {

// The field as text: strings as they are, null or absent as "" (or `none`), others dumped.
std::string Text(const nlohmann::json& j, const char* key, const std::string& none = "");
// The member `key` of an object, or null when `j` is not an object or lacks it. Reads of the hub's
// answers go through this: a const json's operator[] on a missing key is undefined behaviour (an
// abort in debug builds), and an older or newer hub may leave a field out.
const nlohmann::json& Field(const nlohmann::json& j, const char* key);
// A list as "a, b, c"; "" for an empty or absent list.
std::string Joined(const nlohmann::json& list, const std::string& separator = ", ");
// page["items"], or an empty array.
const nlohmann::json& Items(const nlohmann::json& page);
// "2027-03-31" from an RFC 3339 time; "" for null.
std::string DateOf(const nlohmann::json& j, const char* key);

}  // namespace certfleet::cli
