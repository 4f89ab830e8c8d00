// Request-body and query helpers shared by the API handlers.
//
// Every JSON body is an object whose fields are declared up front: unknown fields, wrong
// types and malformed JSON become kInvalidArgument errors (400) that name the field, so a
// typo never silently falls back to a default. Body size is limited by the server (413).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "http/request.h"
#include "hub/service/field_error.h"

namespace certfleet::hub::api {

// Reads a JSON object body and checks its field names against `allowed`.
// Errors: "request body is not valid JSON: ...", "request body must be a JSON object",
// "unknown field(s) in request body: colour, size (allowed: ...)".
class JsonBody {
 public:
  static Result<JsonBody> Parse(const http::Request& request,
                                std::initializer_list<std::string_view> allowed);

  bool Has(std::string_view field) const;
  // Each getter: nullopt when the field is absent (or null, for the optional ones);
  // kInvalidArgument "field 'x' must be a string" on a wrong type.
  Result<std::optional<std::string>> String(std::string_view field) const;
  Result<std::string> RequiredString(std::string_view field) const;
  Result<std::optional<std::int64_t>> Int(std::string_view field) const;
  // A boolean field; an error when present with another type.
  Result<std::optional<bool>> Bool(std::string_view field) const;
  Result<std::optional<std::vector<std::string>>> StringList(std::string_view field) const;
  // True when the field is present with value null (clears an optional reference).
  bool IsNull(std::string_view field) const;

 private:
  explicit JsonBody(std::shared_ptr<const nlohmann::json> value) : value_(std::move(value)) {}
  std::shared_ptr<const nlohmann::json> value_;  // a JSON object
};

using service::FirstError;  // the first error among several Results, or Ok()

// Query parameter helpers: kInvalidArgument naming the parameter on bad values.
Result<std::int64_t> QueryInt(const http::Request& request, std::string_view name,
                              std::int64_t default_value, std::int64_t min, std::int64_t max);
// ?limit= (1..1000, default 100) and ?offset= (>= 0, default 0).
struct Paging {
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};
Result<Paging> ParsePaging(const http::Request& request);
std::string QueryString(const http::Request& request, std::string_view name);
// Refuses query parameters not in `allowed` and parameters given more than once, with a
// kInvalidArgument naming them (a typo such as ?expiring=30 must not silently mean "all").
Status CheckQuery(const http::Request& request, std::initializer_list<std::string_view> allowed);

}  // namespace certfleet::hub::api
