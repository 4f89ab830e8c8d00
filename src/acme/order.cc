#include "acme/order.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "acme/json_fields.h"
#include "common/encoding.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "order";

Result<std::vector<Identifier>> IdentifiersFromJson(const nlohmann::json& json) {
  std::vector<Identifier> identifiers;
  auto it = json.find("identifiers");
  if (it == json.end() || !it->is_array()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed order: \"identifiers\" is missing or not an array");
  }
  for (const auto& element : *it) {
    if (!element.is_object()) {
      return Fail(ErrorCode::kProtocol,
                  "the CA sent a malformed order: an identifier is not an object");
    }
    auto type = internal::RequiredString(element, "type", "order identifier");
    auto value = internal::RequiredString(element, "value", "order identifier");
    if (!type) return Fail(type.error());
    if (!value) return Fail(value.error());
    identifiers.push_back(Identifier{std::move(*type), std::move(*value)});
  }
  return identifiers;
}

Status ReadOrderStrings(const nlohmann::json& json, Order* order) {
  auto status = internal::RequiredString(json, "status", kWhat);
  auto finalize = internal::RequiredString(json, "finalize", kWhat);
  auto expires = internal::OptionalString(json, "expires", kWhat);
  auto certificate = internal::OptionalString(json, "certificate", kWhat);
  auto profile = internal::OptionalString(json, "profile", kWhat);
  auto replaces = internal::OptionalString(json, "replaces", kWhat);
  auto authorizations = internal::OptionalStringArray(json, "authorizations", kWhat);
  for (const auto* field : {&status, &finalize, &expires, &certificate, &profile, &replaces}) {
    if (!*field) return Fail(field->error());
  }
  if (!authorizations) return Fail(authorizations.error());
  order->status = std::move(*status);
  order->finalize = std::move(*finalize);
  order->expires = std::move(*expires);
  order->certificate = std::move(*certificate);
  order->profile = std::move(*profile);
  order->replaces = std::move(*replaces);
  order->authorizations = std::move(*authorizations);
  return Ok();
}

// Rejects an order whose URLs would send our signed requests somewhere odd.
Status CheckOrderUrls(const Order& order) {
  bool ok = internal::LooksLikeHttpUrl(order.finalize) &&
            (order.certificate.empty() || internal::LooksLikeHttpUrl(order.certificate)) &&
            std::all_of(order.authorizations.begin(), order.authorizations.end(),
                        internal::LooksLikeHttpUrl);
  if (ok) return Ok();
  return Fail(ErrorCode::kProtocol, "the CA sent a malformed order: a URL is not http(s)");
}

Result<Order> OrderFromResponse(const AcmeResponse& response, std::string url,
                                std::string_view step) {
  auto order = ParseOrder(response.body, std::move(url));
  if (!order) return Fail(order.error().WithContext(step));
  return order;
}

Status CheckProfile(const Directory& directory, const std::string& profile) {
  if (directory.profiles.contains(profile)) return Ok();
  std::string offered;
  for (const auto& [name, description] : directory.profiles)
    offered += (offered.empty() ? "" : ", ") + name;
  return Fail(ErrorCode::kInvalidArgument,
              "the CA has no certificate profile \"" + profile + "\" (it offers: " + offered + ")");
}

}  // namespace

nlohmann::json OrderToJson(const Order& order) {
  nlohmann::json identifiers = nlohmann::json::array();
  for (const Identifier& id : order.identifiers)
    identifiers.push_back({{"type", id.type}, {"value", id.value}});
  nlohmann::json json = {{"url", order.url},
                         {"status", order.status},
                         {"identifiers", std::move(identifiers)},
                         {"authorizations", order.authorizations},
                         {"finalize", order.finalize}};
  for (auto [key, value] :
       {std::pair{"expires", &order.expires}, std::pair{"certificate", &order.certificate},
        std::pair{"profile", &order.profile}, std::pair{"replaces", &order.replaces}}) {
    if (!value->empty()) json[key] = *value;
  }
  if (order.error) json["error"] = ProblemToJson(*order.error);
  return json;
}

Result<Order> OrderFromJson(const nlohmann::json& json, std::string url) {
  if (!json.is_object())
    return Fail(ErrorCode::kProtocol, "the CA sent an order that is not a JSON object");
  Order order;
  order.url = std::move(url);
  if (auto status = ReadOrderStrings(json, &order); !status) return Fail(status.error());
  auto identifiers = IdentifiersFromJson(json);
  if (!identifiers) return Fail(identifiers.error());
  order.identifiers = std::move(*identifiers);
  if (auto it = json.find("error"); it != json.end() && !it->is_null()) {
    auto problem = ProblemFromJson(*it, 0);
    if (!problem) return Fail(problem.error());
    order.error = std::move(*problem);
  }
  if (auto status = CheckOrderUrls(order); !status) return Fail(status.error());
  return order;
}

Result<Order> ParseOrder(std::string_view body, std::string url) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  return OrderFromJson(*json, std::move(url));
}

Result<std::string> BuildNewOrderPayload(const Directory& directory,
                                         const NewOrderRequest& request) {
  if (request.names.empty())
    return Fail(ErrorCode::kInvalidArgument, "an order needs at least one name");
  nlohmann::json identifiers = nlohmann::json::array();
  for (const std::string& name : request.names)
    identifiers.push_back({{"type", "dns"}, {"value", name}});
  nlohmann::json payload = {{"identifiers", std::move(identifiers)}};
  // Profiles: only when the CA advertises them; a CA without profiles may reject the member.
  if (!request.profile.empty() && !directory.profiles.empty()) {
    if (auto status = CheckProfile(directory, request.profile); !status)
      return Fail(status.error());
    payload["profile"] = request.profile;
  }
  // RFC 9773 §5: "replaces" only for a CA that implements ARI.
  if (!request.replaces.empty() && !directory.renewal_info.empty())
    payload["replaces"] = request.replaces;
  return payload.dump();
}

Result<Order> NewOrder(Session& session, const Signer& signer, const NewOrderRequest& request) {
  auto payload = BuildNewOrderPayload(session.directory(), request);
  if (!payload) return Fail(payload.error().WithContext("creating the order"));
  auto response = session.Post(signer, session.directory().new_order, *payload);
  if (!response) return Fail(response.error().WithContext("creating the order"));
  if (response->location.empty()) {
    return Fail(ErrorCode::kProtocol,
                "creating the order: the CA sent no Location header (the order URL)");
  }
  return OrderFromResponse(*response, response->location, "creating the order");
}

Result<Order> FetchOrder(Session& session, const Signer& signer, const std::string& url) {
  auto response = session.PostAsGet(signer, url);
  if (!response) return Fail(response.error().WithContext("fetching the order " + url));
  return OrderFromResponse(*response, url, "fetching the order " + url);
}

Result<Order> FinalizeOrder(Session& session, const Signer& signer, const Order& order,
                            std::string_view csr_der) {
  nlohmann::json payload = {{"csr", Base64UrlEncode(csr_der)}};
  auto response = session.Post(signer, order.finalize, payload.dump());
  if (!response) return Fail(response.error().WithContext("finalizing the order"));
  return OrderFromResponse(*response, order.url, "finalizing the order");
}

Result<Order> PollOrder(Session& session, const Signer& signer, Order order,
                        const std::vector<std::string>& waiting_statuses,
                        const PollPolicy& policy) {
  const TimePoint started = session.clock().Now();
  std::optional<Duration> retry_after;
  for (int attempt = 0;; ++attempt) {
    if (std::find(waiting_statuses.begin(), waiting_statuses.end(), order.status) ==
        waiting_statuses.end()) {
      return order;
    }
    auto delay = NextPollDelay(policy, attempt, retry_after, started, session.clock().Now());
    if (!delay) {
      return Fail(ErrorCode::kDeadlineExceeded,
                  "waiting for the order " + order.url + ": still \"" + order.status + "\" after " +
                      std::to_string(policy.deadline.count()) + " ms");
    }
    session.clock().SleepFor(*delay);
    auto response = session.PostAsGet(signer, order.url);
    if (!response) return Fail(response.error().WithContext("polling the order " + order.url));
    auto next = OrderFromResponse(*response, order.url, "polling the order " + order.url);
    if (!next) return Fail(next.error());
    order = std::move(*next);
    retry_after = response->retry_after;
  }
}

}  // namespace certfleet::acme
