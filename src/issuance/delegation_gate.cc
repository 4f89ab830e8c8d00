#include "issuance/delegation_gate.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>

#include "issuance/challenge_plan.h"

namespace certfleet::issuance {

Status StoreTxtBoard::Publish(std::string_view key, std::string_view label, std::string_view value,
                              TimePoint expires_at) {
  return book_.PublishDelegatedTxt(
      store::DelegatedTxt{std::string(key), std::string(label), std::string(value), expires_at});
}

Status StoreTxtBoard::Withdraw(std::string_view key) { return book_.WithdrawDelegatedTxt(key); }

solver::TxtSnapshot::Loader DelegatedTxtLoader(store::DelegationBook& book, Clock& clock,
                                               int purge_every) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  return [&book, &clock, calls, purge_every]() -> Result<std::vector<solver::PublishedTxt>> {
    const TimePoint now = clock.Now();
    if (purge_every > 0 && ++*calls % purge_every == 0) {
      if (auto purged = book.DeleteExpiredDelegatedTxt(now); !purged)
        spdlog::warn("dns01: deleting expired delegated TXT records: {}", purged.error().message);
    }
    auto records = book.ListDelegatedTxt(now);
    if (!records) {
      spdlog::warn("dns01: reading the delegated TXT records (answering the last ones): {}",
                   records.error().message);
      return Fail(records.error());
    }
    std::vector<solver::PublishedTxt> out;
    out.reserve(records->size());
    for (store::DelegatedTxt& r : *records) out.push_back({std::move(r.label), std::move(r.value)});
    return out;
  };
}

Result<std::string> DelegationLabelOf(store::DelegationBook& book, const std::string& domain) {
  auto delegation = book.EnsureDelegation(domain, solver::NewDelegationLabel());
  if (!delegation && delegation.error().code == ErrorCode::kAlreadyExists) {
    delegation = book.EnsureDelegation(domain, solver::NewDelegationLabel());  // 2^-80: retry once
  }
  if (!delegation)
    return Fail(delegation.error().WithContext(domain + ": the DNS-01 delegation label"));
  return delegation->label;
}

Result<IssuerConfig> EffectiveIssuer(store::DelegationBook& book, const IssuerConfig& issuer,
                                     const std::string& domain) {
  auto delegation = book.GetDelegation(domain);
  if (!delegation && delegation.error().code == ErrorCode::kNotFound) return issuer;
  if (!delegation) return Fail(delegation.error().WithContext(domain));
  auto chosen = WithChallengeChoice(issuer, delegation->challenge);
  if (!chosen) return Fail(chosen.error().WithContext(domain));
  return chosen;
}

Result<std::vector<std::string>> DelegatedNames(const IssuerConfig& issuer,
                                                const Dns01Runtime& dns01,
                                                const std::vector<std::string>& names) {
  std::vector<std::string> delegated;
  if (!dns01.has_delegation()) return delegated;
  auto plan = PlanChallenges(issuer, dns01.config(), names);
  if (!plan) return Fail(plan.error());
  for (const NamePlan& entry : *plan) {
    if (entry.way == ChallengeWay::kDns01Delegation) delegated.push_back(entry.name);
  }
  return delegated;
}

Result<solver::DelegationCheck> CheckAndRecord(store::DelegationBook& book,
                                               const Dns01Runtime& dns01, const std::string& domain,
                                               const std::vector<std::string>& names,
                                               Clock& clock) {
  auto label = DelegationLabelOf(book, domain);
  if (!label) return Fail(label.error());
  solver::DelegationCheck check = dns01.Check(names, *label);
  std::string state = "ok";
  for (const solver::DelegationFinding& finding : check.findings) {
    if (finding.state != solver::DelegationState::kOk) {
      state = solver::DelegationStateName(finding.state);
      break;
    }
  }
  if (auto saved = book.RecordDelegationCheck(domain, state, check.Problems(), clock.Now());
      !saved) {
    return Fail(saved.error().WithContext(domain + ": saving the delegation check"));
  }
  return check;
}

}  // namespace certfleet::issuance
