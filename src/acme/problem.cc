#include "acme/problem.h"

#include <array>
#include <utility>

#include "acme/json_fields.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "problem document";
constexpr size_t kMaxSubproblems = 100;  // a hostile CA cannot make us build huge messages
constexpr size_t kMaxDetail = 2000;

std::string Truncate(std::string text) {
  if (text.size() > kMaxDetail) text = text.substr(0, kMaxDetail) + "...";
  return text;
}

Result<Subproblem> SubproblemFromJson(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed problem document: a subproblem is not an object");
  }
  auto type = internal::OptionalString(json, "type", kWhat);
  auto detail = internal::OptionalString(json, "detail", kWhat);
  if (!type) return Fail(type.error());
  if (!detail) return Fail(detail.error());
  Subproblem sub{std::move(*type), Truncate(std::move(*detail)), "", ""};
  auto identifier = json.find("identifier");
  if (identifier != json.end() && identifier->is_object()) {
    auto id_type = internal::OptionalString(*identifier, "type", kWhat);
    auto id_value = internal::OptionalString(*identifier, "value", kWhat);
    if (!id_type) return Fail(id_type.error());
    if (!id_value) return Fail(id_value.error());
    sub.identifier_type = std::move(*id_type);
    sub.identifier_value = std::move(*id_value);
  }
  return sub;
}

std::string_view StripNamespace(std::string_view type) {
  if (type.starts_with(kAcmeErrorNamespace)) type.remove_prefix(kAcmeErrorNamespace.size());
  return type;
}

}  // namespace

std::string_view Problem::ShortType() const { return StripNamespace(type); }

bool Problem::Is(std::string_view short_type) const { return ShortType() == short_type; }

std::string Problem::Describe() const {
  std::string text(ShortType());
  if (!detail.empty()) text += ": " + detail;
  for (const Subproblem& sub : subproblems) {
    text += "; ";
    if (!sub.identifier_value.empty()) text += sub.identifier_value + ": ";
    text += std::string(StripNamespace(sub.type));
    if (!sub.detail.empty()) text += ": " + sub.detail;
  }
  if (retry_after) {
    text += retry_after->count() < 1000
                ? " (retry after " + std::to_string(retry_after->count()) + " ms)"
                : " (retry after " + std::to_string(retry_after->count() / 1000) + " s)";
  }
  return text;
}

Result<Problem> ProblemFromJson(const nlohmann::json& json, int http_status) {
  if (!json.is_object()) {
    return Fail(ErrorCode::kProtocol, "the CA sent a problem document that is not a JSON object");
  }
  auto type = internal::OptionalString(json, "type", kWhat);
  auto detail = internal::OptionalString(json, "detail", kWhat);
  auto instance = internal::OptionalString(json, "instance", kWhat);
  if (!type) return Fail(type.error());
  if (!detail) return Fail(detail.error());
  if (!instance) return Fail(instance.error());
  Problem problem;
  problem.type = type->empty() ? "about:blank" : std::move(*type);  // RFC 7807 §4.2
  problem.detail = Truncate(std::move(*detail));
  problem.instance = std::move(*instance);
  problem.status = http_status;
  if (auto it = json.find("status"); it != json.end() && it->is_number_integer()) {
    problem.status = it->get<int>();
  }
  if (auto it = json.find("subproblems"); it != json.end() && it->is_array()) {
    for (const auto& element : *it) {
      if (problem.subproblems.size() == kMaxSubproblems) break;
      auto sub = SubproblemFromJson(element);
      if (!sub) return Fail(sub.error());
      problem.subproblems.push_back(std::move(*sub));
    }
  }
  return problem;
}

Result<Problem> ParseProblem(std::string_view body, int http_status) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  return ProblemFromJson(*json, http_status);
}

nlohmann::json ProblemToJson(const Problem& problem) {
  nlohmann::json json = {{"type", problem.type}, {"detail", problem.detail}};
  if (problem.status != 0) json["status"] = problem.status;
  if (!problem.instance.empty()) json["instance"] = problem.instance;
  if (!problem.subproblems.empty()) {
    nlohmann::json subs = nlohmann::json::array();
    for (const Subproblem& sub : problem.subproblems) {
      nlohmann::json entry = {{"type", sub.type}, {"detail", sub.detail}};
      if (!sub.identifier_value.empty()) {
        entry["identifier"] = {{"type", sub.identifier_type}, {"value", sub.identifier_value}};
      }
      subs.push_back(std::move(entry));
    }
    json["subproblems"] = std::move(subs);
  }
  return json;
}

ErrorCode ProblemErrorCode(std::string_view short_type) {
  static constexpr std::array<std::pair<std::string_view, ErrorCode>, 20> kCodes{{
      {"rateLimited", ErrorCode::kRateLimited},
      {"badNonce", ErrorCode::kUnavailable},
      {"serverInternal", ErrorCode::kUnavailable},
      {"unauthorized", ErrorCode::kPermissionDenied},
      {"userActionRequired", ErrorCode::kPermissionDenied},
      {"accountDoesNotExist", ErrorCode::kNotFound},
      {"externalAccountRequired", ErrorCode::kUnauthenticated},
      {"badSignatureAlgorithm", ErrorCode::kUnauthenticated},
      {"orderNotReady", ErrorCode::kConflict},
      {"alreadyRevoked", ErrorCode::kAlreadyExists},
      {"malformed", ErrorCode::kInvalidArgument},
      {"rejectedIdentifier", ErrorCode::kInvalidArgument},
      {"unsupportedIdentifier", ErrorCode::kInvalidArgument},
      {"badCSR", ErrorCode::kInvalidArgument},
      {"badPublicKey", ErrorCode::kInvalidArgument},
      {"badRevocationReason", ErrorCode::kInvalidArgument},
      {"invalidContact", ErrorCode::kInvalidArgument},
      {"unsupportedContact", ErrorCode::kInvalidArgument},
      {"invalidProfile", ErrorCode::kInvalidArgument},
      {"compound", ErrorCode::kAcmeProblem},
  }};
  for (const auto& [type, code] : kCodes) {
    if (type == short_type) return code;
  }
  return ErrorCode::kAcmeProblem;
}

Error ProblemToError(const Problem& problem) {
  return Error{ProblemErrorCode(problem.ShortType()), "the CA said: " + problem.Describe(),
               problem.retry_after};
}

}  // namespace certfleet::acme
