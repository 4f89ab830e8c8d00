#include "issuance/order_progress.h"

#include <nlohmann/json.hpp>

namespace certfleet::issuance {

std::string ProgressToJson(const OrderProgress& progress) {
  nlohmann::json json = {
      {"names", progress.spec.names},        {"key_type", progress.spec.key_type},
      {"profile", progress.spec.profile},    {"replaces_ari", progress.replaces_ari},
      {"account_url", progress.account_url}, {"sealed_key", progress.sealed_key},
  };
  if (progress.replaces_id) json["replaces_id"] = *progress.replaces_id;
  if (progress.order) {
    json["order"] = acme::OrderToJson(*progress.order);
    json["order_url"] = progress.order->url;
  }
  return json.dump();
}

namespace {

// The string member `name`, "" when absent; kCorrupt when present with another type.
Result<std::string> StringMember(const nlohmann::json& json, const char* name) {
  if (!json.contains(name)) return std::string();
  if (!json[name].is_string()) {
    return Fail(ErrorCode::kCorrupt,
                std::string("the saved order state's \"") + name + "\" is not a string");
  }
  return json[name].get<std::string>();
}

Result<std::vector<std::string>> Names(const nlohmann::json& json) {
  const auto names = json.find("names");
  if (names == json.end() || !names->is_array() || names->empty()) {
    return Fail(ErrorCode::kCorrupt, "the saved order state has no \"names\"");
  }
  std::vector<std::string> out;
  for (const auto& name : *names) {
    if (!name.is_string())
      return Fail(ErrorCode::kCorrupt, "the saved order state has a non-string name");
    out.push_back(name.get<std::string>());
  }
  return out;
}

}  // namespace

Result<OrderProgress> ProgressFromJson(std::string_view text) {
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object())
    return Fail(ErrorCode::kCorrupt, "the saved order state is not a JSON object");
  OrderProgress progress;
  auto names = Names(json);
  if (!names) return Fail(names.error());
  progress.spec.names = std::move(*names);
  std::string* const strings[] = {&progress.spec.key_type, &progress.spec.profile,
                                  &progress.replaces_ari, &progress.account_url,
                                  &progress.sealed_key};
  const char* const members[] = {"key_type", "profile", "replaces_ari", "account_url",
                                 "sealed_key"};
  for (size_t i = 0; i < std::size(members); ++i) {
    auto value = StringMember(json, members[i]);
    if (!value) return Fail(value.error());
    *strings[i] = std::move(*value);
  }
  if (json.contains("replaces_id")) {
    if (!json["replaces_id"].is_number_integer())
      return Fail(ErrorCode::kCorrupt, "the saved \"replaces_id\" is not an id");
    progress.replaces_id = json["replaces_id"].get<store::Id>();
  }
  if (json.contains("order")) {
    auto url = StringMember(json, "order_url");
    if (!url) return Fail(url.error());
    auto order = acme::OrderFromJson(json["order"], *url);
    if (!order)
      return Fail(ErrorCode::kCorrupt,
                  "the saved ACME order is malformed: " + order.error().message);
    progress.order = std::move(*order);
  }
  return progress;
}

Result<crypto::KeyType> ParseDomainKeyType(std::string_view key_type) {
  if (key_type.empty() || key_type == "ec256") return crypto::KeyType::kEcP256;
  if (key_type == "ec384") return crypto::KeyType::kEcP384;
  if (key_type == "rsa2048") return crypto::KeyType::kRsa2048;
  if (key_type == "rsa3072") return crypto::KeyType::kRsa3072;
  if (key_type == "rsa4096") return crypto::KeyType::kRsa4096;
  auto parsed = crypto::ParseKeyType(key_type);
  if (!parsed) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown key type \"" + std::string(key_type) +
                    "\"; use ec256, ec384, rsa2048, rsa3072 or rsa4096");
  }
  return *parsed;
}

}  // namespace certfleet::issuance
