// Headers: an ordered list of HTTP header fields with case-insensitive names.
//
// A plain value type (not thread-safe; copy it to share). Lookups are linear, which
// beats hashing for the dozen fields a request carries.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certfleet::http {

// True when `a` and `b` are equal ignoring ASCII case (header names, methods).
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The value of the first field named `name`, or nullopt when there is none.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  // Replaces every field named `name` with one field.
  void Set(std::string_view name, std::string_view value);
  // Appends a field, keeping existing ones (e.g. several Set-Cookie or Link fields).
  void Add(std::string_view name, std::string_view value);
  void Remove(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

}  // namespace certfleet::http
