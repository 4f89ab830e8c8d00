#include "hub/api/domain_cursor.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "common/encoding.h"

namespace certfleet::hub::api {
namespace {

// The store keeps times in milliseconds (store/sql/connection.h), and so does the cursor.
std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string_view DomainSortName(store::DomainSort sort) {
  switch (sort) {
    case store::DomainSort::kName:
      return "name";
    case store::DomainSort::kNotAfter:
      return "not_after";
    case store::DomainSort::kUpdatedAt:
      return "updated_at";
    case store::DomainSort::kStatus:
      return "status";
    case store::DomainSort::kNextAttempt:
      return "next_attempt_at";
  }
  return "name";
}

std::string EncodeDomainCursor(store::DomainSort sort, bool descending,
                               const store::DomainKey& key) {
  nlohmann::json j = {
      {"sort", DomainSortName(sort)}, {"order", descending ? "desc" : "asc"}, {"name", key.name}};
  if (sort == store::DomainSort::kStatus) j["value"] = key.value;
  if (sort != store::DomainSort::kName && sort != store::DomainSort::kStatus) {
    j["time"] = nullptr;
    if (key.time) j["time"] = Millis(*key.time);
  }
  return Base64UrlEncode(j.dump());
}

Result<store::DomainKey> DecodeDomainCursor(std::string_view text, store::DomainSort sort,
                                            bool descending, std::string_view parameter) {
  const std::string bad = "query parameter '" + std::string(parameter) + "' ";
  auto bytes = Base64UrlDecode(text);
  nlohmann::json j;
  if (bytes) j = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("sort") || !j.contains("order") || !j.contains("name") ||
      !j["sort"].is_string() || !j["order"].is_string() || !j["name"].is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                bad +
                    "is not a cursor of this list: pass the `next` of the previous page as it "
                    "is, or leave it out for the first page");
  }
  const std::string want_order = descending ? "desc" : "asc";
  if (j["sort"].get<std::string>() != DomainSortName(sort) ||
      j["order"].get<std::string>() != want_order) {
    return Fail(ErrorCode::kInvalidArgument,
                bad + "was made for sort=" + j["sort"].get<std::string>() +
                    "&order=" + j["order"].get<std::string>() +
                    ", not sort=" + std::string(DomainSortName(sort)) + "&order=" + want_order +
                    ": ask for the first page again in the new order");
  }
  store::DomainKey key;
  key.name = j["name"].get<std::string>();
  const bool wants_value = sort == store::DomainSort::kStatus;
  const bool wants_time = sort != store::DomainSort::kName && !wants_value;
  if (wants_value) {
    if (!j.contains("value") || !j["value"].is_string()) {
      return Fail(ErrorCode::kInvalidArgument, bad + "is a cursor without its status");
    }
    key.value = j["value"].get<std::string>();
  }
  if (wants_time) {
    if (!j.contains("time") || !(j["time"].is_null() || j["time"].is_number_integer())) {
      return Fail(ErrorCode::kInvalidArgument, bad + "is a cursor without its time");
    }
    if (!j["time"].is_null()) {
      // A TimePoint holds ±292 years of nanoseconds; a forged larger time would wrap.
      const std::int64_t millis = j["time"].get<std::int64_t>();
      constexpr std::int64_t kLimit =
          std::chrono::duration_cast<std::chrono::milliseconds>(TimePoint::duration::max()).count();
      if (millis > kLimit || millis < -kLimit) {
        return Fail(ErrorCode::kInvalidArgument, bad + "is a cursor with a time out of range");
      }
      key.time = TimePoint(std::chrono::milliseconds(millis));
    }
  }
  return key;
}

}  // namespace certfleet::hub::api
