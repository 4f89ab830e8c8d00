#include "issuance/challenge_plan.h"

#include <algorithm>

namespace certfleet::issuance {
namespace {

std::string Apex(const std::string& name) { return name.starts_with("*.") ? name.substr(2) : name; }

// DNS-01 for `name` through the zone table, or nullopt when no zone covers it.
std::optional<NamePlan> Dns01For(const solver::Dns01Config& dns01, const std::string& name) {
  const solver::Dns01ZoneConfig* zone = dns01.ZoneFor(Apex(name));
  if (zone == nullptr) return std::nullopt;
  const ChallengeWay way = zone->kind == solver::Dns01SolverKind::kDelegation
                               ? ChallengeWay::kDns01Delegation
                               : ChallengeWay::kDns01Rfc2136;
  return NamePlan{name, way, zone->zone};
}

Result<NamePlan> PlanWildcard(const IssuerConfig& issuer, const solver::Dns01Config& dns01,
                              const std::string& name) {
  if (!issuer.dns01) {
    return Fail(ErrorCode::kInvalidArgument,
                name + ": wildcards need DNS-01, which issuer \"" + issuer.name +
                    "\" may not use (add \"dns-01\" to its challenges)");
  }
  if (auto plan = Dns01For(dns01, name)) return *plan;
  return Fail(ErrorCode::kInvalidArgument,
              name + ": wildcards need DNS-01, and no [[dns01.zone]] of the hub config covers " +
                  Apex(name));
}

Result<NamePlan> PlanName(const IssuerConfig& issuer, const solver::Dns01Config& dns01,
                          const std::string& name) {
  if (name.starts_with("*.")) return PlanWildcard(issuer, dns01, name);
  if (issuer.dns01 && (issuer.prefer_dns01 || !issuer.http01)) {
    if (auto plan = Dns01For(dns01, name)) return *plan;
  }
  if (issuer.http01) return NamePlan{name, ChallengeWay::kHttp01, ""};
  return Fail(ErrorCode::kInvalidArgument,
              name + ": issuer \"" + issuer.name +
                  "\" answers DNS-01 only, and no [[dns01.zone]] of the hub config covers it");
}

}  // namespace

std::string_view ChallengeWayName(ChallengeWay way) {
  switch (way) {
    case ChallengeWay::kHttp01:
      return "http-01";
    case ChallengeWay::kDns01Delegation:
      return "dns-01 (delegation)";
    case ChallengeWay::kDns01Rfc2136:
      return "dns-01 (RFC 2136)";
  }
  return "unknown";
}

Result<std::vector<NamePlan>> PlanChallenges(const IssuerConfig& issuer,
                                             const solver::Dns01Config& dns01,
                                             const std::vector<std::string>& names) {
  std::vector<NamePlan> plan;
  for (const std::string& name : names) {
    auto entry = PlanName(issuer, dns01, name);
    if (!entry) return Fail(entry.error());
    plan.push_back(std::move(*entry));
  }
  return plan;
}

Result<IssuerConfig> WithChallengeChoice(const IssuerConfig& issuer, std::string_view choice) {
  if (choice.empty()) return issuer;
  const std::string quoted = "challenge \"" + std::string(choice) + "\"";
  if (choice != "http-01" && choice != "dns-01") {
    return Fail(ErrorCode::kInvalidArgument,
                quoted + ": must be \"http-01\", \"dns-01\" or \"\" (the issuer's order)");
  }
  const bool dns01 = choice == "dns-01";
  if (dns01 ? !issuer.dns01 : !issuer.http01) {
    return Fail(ErrorCode::kInvalidArgument, quoted + ": issuer \"" + issuer.name +
                                                 "\" may not use it (add \"" + std::string(choice) +
                                                 "\" to its challenges)");
  }
  IssuerConfig chosen = issuer;
  chosen.prefer_dns01 = dns01;
  if (dns01) chosen.http01 = false;
  return chosen;
}

bool UsesDelegation(const std::vector<NamePlan>& plan) {
  return std::any_of(plan.begin(), plan.end(), [](const NamePlan& entry) {
    return entry.way == ChallengeWay::kDns01Delegation;
  });
}

}  // namespace certfleet::issuance
