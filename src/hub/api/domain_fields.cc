#include "hub/api/domain_fields.h"

#include <algorithm>
#include <cctype>

#include "common/domain_name.h"
#include "crypto/key.h"
#include "store/model.h"

namespace certfleet::hub::api {
namespace {

tl::unexpected<Error> FieldError(const std::string& field, const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, "field '" + field + "': " + message);
}

Status ResolveIssuer(const HubConfig& config, DomainFields& f) {
  if (f.issuer.empty()) {
    f.issuer = config.issuers.empty() ? std::string(store::kManualIssuer) : config.issuers[0].name;
  }
  if (f.issuer == store::kManualIssuer || config.FindIssuer(f.issuer) != nullptr) return Ok();
  std::string known = std::string(store::kManualIssuer);
  for (const auto& issuer : config.issuers) known += ", " + issuer.name;
  return FieldError("issuer", "unknown issuer \"" + f.issuer + "\"; configured: " + known);
}

bool CanSolveWildcards(const HubConfig& config, const std::string& issuer) {
  if (issuer == store::kManualIssuer) return true;
  const auto* found = config.FindIssuer(issuer);
  return found != nullptr && found->dns01;
}

Status NormalizeNames(bool wildcards, DomainFields& f) {
  const DomainNameOptions options{.allow_wildcard = wildcards};
  auto name = NormalizeDomainName(f.name, options);
  if (!name) return FieldError("name", name.error().message);
  f.name = *name;
  if (f.sans.size() > kMaxSans) {
    return FieldError("sans", "at most " + std::to_string(kMaxSans) + " names per certificate");
  }
  std::vector<std::string> sans;
  for (std::size_t i = 0; i < f.sans.size(); ++i) {
    auto san = NormalizeDomainName(f.sans[i], options);
    if (!san) return FieldError("sans[" + std::to_string(i) + "]", san.error().message);
    if (*san == f.name || std::find(sans.begin(), sans.end(), *san) != sans.end()) continue;
    sans.push_back(*san);
  }
  f.sans = std::move(sans);
  return Ok();
}

Status CheckProfile(const std::string& profile) {
  const bool ok =
      profile.size() <= 64 && std::all_of(profile.begin(), profile.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
      });
  if (ok) return Ok();
  return FieldError("profile", "use at most 64 letters, digits, '.', '_' or '-'");
}

}  // namespace

Result<DomainFields> ValidateDomainFields(const HubConfig& config, DomainFields fields) {
  if (auto s = ResolveIssuer(config, fields); !s) return Fail(s.error());
  if (auto s = NormalizeNames(CanSolveWildcards(config, fields.issuer), fields); !s) {
    return Fail(s.error());
  }
  if (fields.key_type.empty()) fields.key_type = config.issuance.key_type;
  auto key_type = crypto::ParseKeyType(fields.key_type);
  if (!key_type) return FieldError("key_type", key_type.error().message);
  fields.key_type = std::string(crypto::KeyTypeName(*key_type));
  if (auto s = CheckProfile(fields.profile); !s) return Fail(s.error());
  return fields;
}

}  // namespace certfleet::hub::api
