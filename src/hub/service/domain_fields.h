// Validation and normalisation of a domain's configuration (pure: depends only on the hub
// config). Every front door goes through it via domains.h, so all give the same messages.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/config.h"

namespace certfleet::hub::service {

inline constexpr std::size_t kMaxSans = 100;  // Let's Encrypt's limit per certificate

// The key types a domain may ask for (crypto::KeyTypeName's names), for pickers.
const std::vector<std::string>& KeyTypeNames();

struct DomainFields {
  std::string name;
  std::vector<std::string> sans;
  std::string issuer;    // "" = the default: the first configured issuer, else "manual"
  std::string key_type;  // "" = config.issuance.key_type
  std::string profile;
};

// Returns the canonical fields: names normalized (lower case, no trailing dot, IDN →
// punycode) with wildcards only when the issuer can solve DNS-01 (or is "manual"); SANs
// without duplicates or the primary name, in input order; issuer a configured one or
// "manual"; key type one of KeyTypeNames(); profile [A-Za-z0-9._-]{0,64}.
// Errors are kInvalidArgument about one field (field_error.h), e.g.
// "Other names: invalid domain name \"x\\y.example.com\": it contains a path separator".
Result<DomainFields> ValidateDomainFields(const HubConfig& config, DomainFields fields);

}  // namespace certfleet::hub::service
