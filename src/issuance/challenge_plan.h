// ChallengePlan: which challenge answers which name of a domain, for one issuer — the one
// rule shared by saving a domain (refuse what cannot be solved), the issuance job (which
// names need the delegation check before an order), and the API's DNS-01 view.
//
// Per name, in the issuer's order of preference (IssuerConfig::prefer_dns01):
//   - a wildcard needs DNS-01: the issuer must allow it and a [[dns01.zone]] must cover
//     its apex (RFC 8555 §7.1.3: CAs validate wildcards by DNS-01 only);
//   - a plain name takes HTTP-01 if allowed, or DNS-01 where a zone covers it.
// Pure; no clock, no I/O.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "issuance/issuer_config.h"
#include "solver/dns01/dns01_config.h"

namespace certfleet::issuance {

enum class ChallengeWay { kHttp01, kDns01Delegation, kDns01Rfc2136 };
// "http-01", "dns-01 (delegation)", "dns-01 (RFC 2136)".
std::string_view ChallengeWayName(ChallengeWay way);

struct NamePlan {
  std::string name;  // as on the certificate ("*.shop.example.com")
  ChallengeWay way = ChallengeWay::kHttp01;
  std::string zone;  // the [[dns01.zone]] used ("" for the root zone and for HTTP-01)
};

// The plan for every name, in order. kInvalidArgument naming the first name that
// cannot be solved and what to configure:
//   "*.shop.example.com: wildcards need DNS-01, and no [[dns01.zone]] of the hub config
//    covers shop.example.com"
//   "*.shop.example.com: wildcards need DNS-01, which issuer \"le\" may not use (add
//    \"dns-01\" to its challenges)"
Result<std::vector<NamePlan>> PlanChallenges(const IssuerConfig& issuer,
                                             const solver::Dns01Config& dns01,
                                             const std::vector<std::string>& names);

// The issuer as one domain uses it, after that domain's challenge choice
// (store::DomainDelegation::challenge): "" = as configured; "http-01" = HTTP-01 first (a
// wildcard still needs DNS-01); "dns-01" = DNS-01 only. kInvalidArgument for another value
// or a type the issuer may not use:
//   "challenge \"dns-01\": issuer \"le\" may not use it (add \"dns-01\" to its challenges)"
Result<IssuerConfig> WithChallengeChoice(const IssuerConfig& issuer, std::string_view choice);

// True when some name of the plan goes by delegation (the job checks the CNAMEs first).
bool UsesDelegation(const std::vector<NamePlan>& plan);

}  // namespace certfleet::issuance
