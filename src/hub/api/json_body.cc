#include "hub/api/json_body.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace certfleet::hub::api {
namespace {

tl::unexpected<Error> WrongType(std::string_view field, std::string_view expected) {
  return Fail(ErrorCode::kInvalidArgument,
              "field '" + std::string(field) + "' must be " + std::string(expected));
}

std::string Join(std::initializer_list<std::string_view> names) {
  std::string out;
  for (auto name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

}  // namespace

Result<JsonBody> JsonBody::Parse(const http::Request& request,
                                 std::initializer_list<std::string_view> allowed) {
  auto value = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return Fail(ErrorCode::kInvalidArgument, request.body.empty()
                                                 ? "request body is empty; expected a JSON object"
                                                 : "request body is not valid JSON");
  }
  if (!value.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "request body must be a JSON object");
  }
  std::string unknown;
  for (const auto& [key, unused] : value.items()) {
    bool known = false;
    for (auto name : allowed) known = known || name == key;
    if (!known) unknown += (unknown.empty() ? "" : ", ") + key;
  }
  if (!unknown.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "unknown field(s) in request body: " + unknown +
                                                 " (allowed: " + Join(allowed) + ")");
  }
  return JsonBody(std::make_shared<const nlohmann::json>(std::move(value)));
}

bool JsonBody::Has(std::string_view field) const { return value_->contains(field); }

bool JsonBody::IsNull(std::string_view field) const {
  auto it = value_->find(field);
  return it != value_->end() && it->is_null();
}

Result<std::optional<std::string>> JsonBody::String(std::string_view field) const {
  auto it = value_->find(field);
  if (it == value_->end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return WrongType(field, "a string");
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> JsonBody::RequiredString(std::string_view field) const {
  auto value = String(field);
  if (!value) return Fail(value.error());
  if (!*value || (*value)->empty()) {
    return Fail(ErrorCode::kInvalidArgument, "field '" + std::string(field) + "' is required");
  }
  return std::move(**value);
}

Result<std::optional<std::int64_t>> JsonBody::Int(std::string_view field) const {
  auto it = value_->find(field);
  if (it == value_->end() || it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer()) return WrongType(field, "an integer");
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

Result<std::optional<bool>> JsonBody::Bool(std::string_view field) const {
  auto it = value_->find(field);
  if (it == value_->end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return WrongType(field, "true or false");
  return std::optional<bool>(it->get<bool>());
}

Result<std::optional<std::vector<std::string>>> JsonBody::StringList(std::string_view field) const {
  auto it = value_->find(field);
  if (it == value_->end() || it->is_null()) return std::optional<std::vector<std::string>>();
  if (!it->is_array()) return WrongType(field, "an array of strings");
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) return WrongType(field, "an array of strings");
    out.push_back(item.get<std::string>());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::int64_t> QueryInt(const http::Request& request, std::string_view name,
                              std::int64_t default_value, std::int64_t min, std::int64_t max) {
  auto text = request.QueryParam(name);
  if (!text) return default_value;
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter '" + std::string(name) + "' must be an integer between " +
                    std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

Result<Paging> ParsePaging(const http::Request& request) {
  auto limit = QueryInt(request, "limit", 100, 1, 1000);
  if (!limit) return Fail(limit.error());
  auto offset = QueryInt(request, "offset", 0, 0, std::int64_t{1} << 40);
  if (!offset) return Fail(offset.error());
  return Paging{*limit, *offset};
}

std::string QueryString(const http::Request& request, std::string_view name) {
  auto text = request.QueryParam(name);
  return text ? std::string(*text) : std::string();
}

Status CheckQuery(const http::Request& request, std::initializer_list<std::string_view> allowed) {
  std::string unknown;
  for (const auto& [name, value] : request.query) {
    bool known = false;
    for (auto a : allowed) known = known || a == name;
    if (!known) {
      unknown += (unknown.empty() ? "" : ", ") + name;
    } else if (request.query.count(name) > 1) {
      return Fail(ErrorCode::kInvalidArgument, "query parameter '" + name + "' is given " +
                                                   std::to_string(request.query.count(name)) +
                                                   " times; give it once");
    }
  }
  if (unknown.empty()) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "unknown query parameter(s): " + unknown +
                  (allowed.size() == 0 ? " (this resource takes none)"
                                       : " (allowed: " + Join(allowed) + ")"));
}

}  // namespace certfleet::hub::api
