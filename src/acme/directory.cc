#include "acme/directory.h"

#include <tuple>

#include "acme/json_fields.h"

namespace certfleet::acme {
namespace {

using internal::LooksLikeHttpUrl;

constexpr std::string_view kWhat = "directory";

// Reads a URL member; `required` ones must be present. Every URL must be http(s), so a
// hostile directory cannot point us at file:// or other schemes.
Status ReadUrl(const nlohmann::json& json, std::string_view key, bool required, std::string* out) {
  auto value = required ? internal::RequiredString(json, key, kWhat)
                        : internal::OptionalString(json, key, kWhat);
  if (!value) return Fail(value.error());
  if (!value->empty() && !LooksLikeHttpUrl(*value)) {
    return Fail(ErrorCode::kProtocol, "the CA sent a malformed directory: \"" + std::string(key) +
                                          "\" is not an http(s) URL");
  }
  *out = std::move(*value);
  return Ok();
}

Status ReadProfiles(const nlohmann::json& meta, Directory* directory) {
  auto it = meta.find("profiles");
  if (it == meta.end() || it->is_null()) return Ok();
  if (!it->is_object()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed directory: \"meta.profiles\" is not an object");
  }
  for (const auto& [name, description] : it->items()) {
    directory->profiles[name] = description.is_string() ? description.get<std::string>() : "";
  }
  return Ok();
}

Status ReadMeta(const nlohmann::json& json, Directory* directory) {
  auto it = json.find("meta");
  if (it == json.end() || it->is_null()) return Ok();
  if (!it->is_object()) {
    return Fail(ErrorCode::kProtocol,
                "the CA sent a malformed directory: \"meta\" is not an object");
  }
  const nlohmann::json& meta = *it;
  auto tos = internal::OptionalString(meta, "termsOfService", kWhat);
  auto website = internal::OptionalString(meta, "website", kWhat);
  auto caa = internal::OptionalStringArray(meta, "caaIdentities", kWhat);
  auto eab = internal::OptionalBool(meta, "externalAccountRequired", false, kWhat);
  if (!tos) return Fail(tos.error());
  if (!website) return Fail(website.error());
  if (!caa) return Fail(caa.error());
  if (!eab) return Fail(eab.error());
  directory->terms_of_service = std::move(*tos);
  directory->website = std::move(*website);
  directory->caa_identities = std::move(*caa);
  directory->external_account_required = *eab;
  return ReadProfiles(meta, directory);
}

}  // namespace

Result<Directory> ParseDirectory(std::string_view body) {
  auto json = internal::ParseJsonObject(body, kWhat);
  if (!json) return Fail(json.error());
  Directory directory;
  for (auto [key, required, out] : {
           std::tuple{"newNonce", true, &directory.new_nonce},
           std::tuple{"newAccount", true, &directory.new_account},
           std::tuple{"newOrder", true, &directory.new_order},
           std::tuple{"newAuthz", false, &directory.new_authz},
           std::tuple{"revokeCert", false, &directory.revoke_cert},
           std::tuple{"keyChange", false, &directory.key_change},
           std::tuple{"renewalInfo", false, &directory.renewal_info},
       }) {
    if (auto status = ReadUrl(*json, key, required, out); !status) return Fail(status.error());
  }
  if (auto status = ReadMeta(*json, &directory); !status) return Fail(status.error());
  return directory;
}

Result<Directory> FetchDirectory(net::HttpTransport& transport, const std::string& url) {
  net::HttpRequest request{"GET", url, {}, ""};
  request.headers.Add("Accept", "application/json");
  auto response = transport.Send(request);
  if (!response) return Fail(response.error().WithContext("fetching the ACME directory " + url));
  if (response->status != 200) {
    return Fail(ErrorCode::kUnavailable, "fetching the ACME directory " + url + ": HTTP status " +
                                             std::to_string(response->status) +
                                             " (is this an ACME directory URL?)");
  }
  auto directory = ParseDirectory(response->body);
  if (!directory) return Fail(directory.error().WithContext("fetching the ACME directory " + url));
  return directory;
}

}  // namespace certfleet::acme
