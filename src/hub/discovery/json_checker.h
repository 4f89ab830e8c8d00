// JsonChecker: reads fields of untrusted JSON objects, remembering the first problem.
//
// Every getter names its field by a path ("servers[3].pairs[0].certificate.path") and
// returns a harmless default once something is wrong, so a parser can read a whole
// document in straight-line code and check `error()` at the end. Pure, not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::hub::discovery {

enum class TextKind {
  kStrict,  // no control characters; over-long → error
  kLoose,   // control characters become blanks; over-long → truncated (messages)
};

class JsonChecker {
 public:
  // The object at `path`; records an error (and returns an empty object) otherwise.
  // Fields of the object not in `allowed` are an error.
  const nlohmann::json& Object(const nlohmann::json& value, const std::string& path,
                               std::initializer_list<std::string_view> allowed);
  // An array field of at most `max` elements (absent → error).
  const nlohmann::json& Array(const nlohmann::json& object, std::string_view key,
                              const std::string& path, std::size_t max);
  std::string String(const nlohmann::json& object, std::string_view key, const std::string& path,
                     std::size_t max_bytes, TextKind kind = TextKind::kStrict);
  std::string Element(const nlohmann::json& value, const std::string& path, std::size_t max_bytes,
                      TextKind kind = TextKind::kStrict);
  std::int64_t Int(const nlohmann::json& object, std::string_view key, const std::string& path,
                   std::int64_t min, std::int64_t max);
  bool Bool(const nlohmann::json& object, std::string_view key, const std::string& path);
  // One of `choices`.
  std::string Choice(const nlohmann::json& object, std::string_view key, const std::string& path,
                     std::initializer_list<std::string_view> choices);
  // "" or 64 lower-case hex digits.
  std::string Sha256(const nlohmann::json& object, std::string_view key, const std::string& path,
                     bool required);

  void Bad(const std::string& path, const std::string& why);
  bool ok() const { return !error_.has_value(); }
  const std::optional<Error>& error() const { return error_; }

 private:
  const nlohmann::json* Field(const nlohmann::json& object, std::string_view key,
                              const std::string& path);
  std::optional<Error> error_;
};

}  // namespace certfleet::hub::discovery
