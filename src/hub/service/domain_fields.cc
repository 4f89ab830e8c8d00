#include "hub/service/domain_fields.h"

#include <algorithm>
#include <cctype>

#include "common/domain_name.h"
#include "crypto/key.h"
#include "hub/service/field_error.h"
#include "issuance/challenge_plan.h"
#include "store/model.h"

namespace certfleet::hub::service {
namespace {

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

Status ResolveIssuer(const HubConfig& config, DomainFields& f) {
  if (f.issuer.empty()) {
    f.issuer = config.issuers.empty() ? std::string(store::kManualIssuer) : config.issuers[0].name;
  }
  if (f.issuer == store::kManualIssuer || config.FindIssuer(f.issuer) != nullptr) return Ok();
  if (config.issuers.empty()) {
    return FieldError(label::kIssuer,
                      "no ACME issuer is configured on this hub, so " + Quoted(f.issuer) +
                          " cannot be used; only \"manual\" (uploaded certificates) is possible "
                          "(add an [[issuer]] section to the hub config, see docs/config.md)");
  }
  std::string known = std::string(store::kManualIssuer);
  for (const auto& issuer : config.issuers) known += ", " + issuer.name;
  return FieldError(label::kIssuer,
                    Quoted(f.issuer) + " is not configured on this hub; choose one of: " + known);
}

bool CanSolveWildcards(const HubConfig& config, const std::string& issuer) {
  if (issuer == store::kManualIssuer) return true;
  const auto* found = config.FindIssuer(issuer);
  return found != nullptr && found->dns01;
}

Status NormalizeNames(bool wildcards, DomainFields& f) {
  const DomainNameOptions options{.allow_wildcard = wildcards};
  auto name = NormalizeDomainName(f.name, options);
  if (!name) return FieldError(label::kDomainName, name.error().message);
  f.name = *name;
  if (f.sans.size() > kMaxSans) {
    return FieldError(label::kOtherNames, "at most " + std::to_string(kMaxSans) +
                                              " names fit on one certificate; you gave " +
                                              std::to_string(f.sans.size()));
  }
  std::vector<std::string> sans;
  for (const auto& input : f.sans) {
    auto san = NormalizeDomainName(input, options);
    if (!san) return FieldError(label::kOtherNames, san.error().message);
    if (*san == f.name || std::find(sans.begin(), sans.end(), *san) != sans.end()) continue;
    sans.push_back(*san);
  }
  f.sans = std::move(sans);
  return Ok();
}

// Every name must be answerable by a challenge the issuer may use (wildcards: DNS-01 in a
// configured zone); the message names the name and what to configure.
Status CheckChallenges(const HubConfig& config, const DomainFields& f) {
  const issuance::IssuerConfig* issuer = config.FindIssuer(f.issuer);
  if (issuer == nullptr) return Ok();  // "manual": nothing to validate with the CA
  if (auto plan = issuance::PlanChallenges(*issuer, config.dns01, {f.name}); !plan)
    return FieldError(label::kDomainName, plan.error().message);
  if (auto plan = issuance::PlanChallenges(*issuer, config.dns01, f.sans); !plan)
    return FieldError(label::kOtherNames, plan.error().message);
  return Ok();
}

Status CheckProfile(const std::string& profile) {
  const bool ok =
      profile.size() <= 64 && std::all_of(profile.begin(), profile.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
      });
  if (ok) return Ok();
  return FieldError(label::kProfile, "use at most 64 letters, digits, '.', '_' or '-'");
}

}  // namespace

const std::vector<std::string>& KeyTypeNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (auto type : {crypto::KeyType::kEcP256, crypto::KeyType::kEcP384, crypto::KeyType::kRsa2048,
                      crypto::KeyType::kRsa3072, crypto::KeyType::kRsa4096}) {
      out.emplace_back(crypto::KeyTypeName(type));
    }
    return out;
  }();
  return names;
}

Result<DomainFields> ValidateDomainFields(const HubConfig& config, DomainFields fields) {
  if (auto s = ResolveIssuer(config, fields); !s) return Fail(s.error());
  if (auto s = NormalizeNames(CanSolveWildcards(config, fields.issuer), fields); !s) {
    return Fail(s.error());
  }
  if (auto s = CheckChallenges(config, fields); !s) return Fail(s.error());
  if (fields.key_type.empty()) fields.key_type = config.issuance.key_type;
  auto key_type = crypto::ParseKeyType(fields.key_type);
  if (!key_type) return FieldError(label::kKeyType, key_type.error().message);
  fields.key_type = std::string(crypto::KeyTypeName(*key_type));
  if (auto s = CheckProfile(fields.profile); !s) return Fail(s.error());
  return fields;
}

}  // namespace certfleet::hub::service
