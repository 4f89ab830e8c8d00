// Domain-name validation: the gate every name passes before it is stored, sent to a
// CA, or used to build a file path.
//
// NormalizeDomainName returns the canonical ASCII form (lower case, no trailing dot,
// IDN labels as punycode "xn--") or an error that says what is wrong with the input.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet {

struct DomainNameOptions {
  // "*.example.com" is accepted only when the issuer can solve DNS-01.
  bool allow_wildcard = false;
};

Result<std::string> NormalizeDomainName(std::string_view input, DomainNameOptions options = {});

// True for a name NormalizeDomainName would return unchanged (already canonical).
bool IsCanonicalDomainName(std::string_view name, DomainNameOptions options = {});

}  // namespace certfleet
