// Validation of a domain's configuration, shared by the API and the web UI so both give
// the same messages. Pure: depends only on the hub config.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "hub/config.h"

namespace certfleet::hub::api {

inline constexpr std::size_t kMaxSans = 100;  // Let's Encrypt's limit per certificate

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
// "manual"; key type one of crypto::KeyTypeName's names; profile [A-Za-z0-9._-]{0,64}.
// Errors are kInvalidArgument naming the field: "field 'sans[1]': invalid domain name ...".
Result<DomainFields> ValidateDomainFields(const HubConfig& config, DomainFields fields);

}  // namespace certfleet::hub::api
