#include "acme/ari.h"

#include <nlohmann/json.hpp>

#include "acme/json_fields.h"
#include "common/encoding.h"
#include "common/time_format.h"

namespace certfleet::acme {
namespace {

constexpr std::string_view kWhat = "renewalInfo";

Result<TimePoint> ReadTime(const nlohmann::json& window, std::string_view key) {
  auto text = internal::RequiredString(window, key, "renewalInfo suggestedWindow");
  if (!text) return Fail(text.error());
  auto time = ParseRfc3339(*text);
  if (!time) {
    return Fail(ErrorCode::kProtocol, "the CA sent a malformed renewalInfo: suggestedWindow." +
                                          std::string(key) + " is not an RFC 3339 time");
  }
  return *time;
}

}  // namespace

Result<std::string> AriCertificateId(std::string_view authority_key_id,
                                     std::string_view serial_der) {
  if (authority_key_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the certificate has no Authority Key Identifier, so it has no ARI ID");
  }
  if (serial_der.empty())
    return Fail(ErrorCode::kInvalidArgument, "the certificate's serial number is empty");
  return Base64UrlEncode(authority_key_id) + "." + Base64UrlEncode(serial_der);
}

Result<std::string> AriCertificateId(const crypto::Certificate& certificate) {
  return AriCertificateId(certificate.AuthorityKeyId(), certificate.SerialDer());
}

Result<RenewalInfo> ParseRenewalInfo(std::string_view body) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  auto window = json->find("suggestedWindow");
  if (window == json->end() || !window->is_object()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed renewalInfo: \"suggestedWindow\" is missing");
  }
  auto start = ReadTime(*window, "start");
  auto end = ReadTime(*window, "end");
  auto explanation = internal::OptionalString(*json, "explanationURL", kWhat);
  if (!start) return Fail(start.error());
  if (!end) return Fail(end.error());
  if (!explanation) return Fail(explanation.error());
  if (*end < *start) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed renewalInfo: the window ends before it starts");
  }
  return RenewalInfo{*start, *end, std::move(*explanation), std::nullopt};
}

Result<RenewalInfo> FetchRenewalInfo(Session& session, std::string_view certificate_id) {
  const std::string& base = session.directory().renewal_info;
  if (base.empty())
    return Fail(ErrorCode::kNotFound, "the CA does not offer ACME Renewal Information (RFC 9773)");
  std::string url = base;
  if (!url.ends_with('/')) url += '/';
  url += certificate_id;
  auto response = session.Get(url);
  if (!response) return Fail(response.error().WithContext("fetching renewal information " + url));
  auto info = ParseRenewalInfo(response->body);
  if (!info) return Fail(info.error().WithContext("fetching renewal information " + url));
  info->retry_after = response->retry_after;
  return info;
}

}  // namespace certfleet::acme
