#include "hub/dns01_view.h"

#include "issuance/delegation_gate.h"

namespace certfleet::hub {
namespace {

std::vector<std::string> NamesOf(const store::Domain& domain) {
  std::vector<std::string> names{domain.name};
  names.insert(names.end(), domain.sans.begin(), domain.sans.end());
  return names;
}

Result<issuance::IssuerConfig> IssuerOf(const HubConfig& config, const store::Domain& domain) {
  const issuance::IssuerConfig* issuer = config.FindIssuer(domain.issuer);
  if (issuer == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                domain.name + ": issuer \"" + domain.issuer +
                    "\" has no ACME challenges (manual, or not configured on this hub)");
  }
  return *issuer;
}

}  // namespace

Result<Dns01View> BuildDns01View(store::Store& store, const HubConfig& config,
                                 const issuance::Dns01Runtime* dns01, const store::Domain& domain) {
  auto configured = IssuerOf(config, domain);
  if (!configured) return Fail(configured.error());
  Dns01View view{.domain = domain.name, .issuer = domain.issuer};
  if (auto stored = store.GetDelegation(domain.name)) view.challenge = stored->challenge;
  auto issuer = issuance::WithChallengeChoice(*configured, view.challenge);
  auto plan = issuer ? issuance::PlanChallenges(*issuer, config.dns01, NamesOf(domain))
                     : Result<std::vector<issuance::NamePlan>>(Fail(issuer.error()));
  if (!plan) {
    view.plan_error = plan.error().message;
    return view;
  }
  view.plan = std::move(*plan);
  view.delegated =
      dns01 != nullptr && dns01->has_delegation() && issuance::UsesDelegation(view.plan);
  if (!view.delegated) return view;
  auto label = issuance::DelegationLabelOf(store, domain.name);
  if (!label) return Fail(label.error());
  auto stored = store.GetDelegation(domain.name);
  if (!stored) return Fail(stored.error());
  std::vector<std::string> delegated;
  for (const issuance::NamePlan& entry : view.plan) {
    if (entry.way == issuance::ChallengeWay::kDns01Delegation) delegated.push_back(entry.name);
  }
  view.zone = config.dns01.delegation->zone;
  view.label = *label;
  view.records = solver::DelegationRecords(delegated, view.label, view.zone);
  view.check_state = stored->check_state;
  view.check_message = stored->check_message;
  view.checked_at = stored->checked_at;
  return view;
}

Result<Dns01CheckOutcome> CheckDomainDelegation(store::Store& store, const HubConfig& config,
                                                const issuance::Dns01Runtime* dns01,
                                                const store::Domain& domain,
                                                const store::Actor& actor, Clock& clock) {
  auto configured = IssuerOf(config, domain);
  if (!configured) return Fail(configured.error());
  std::vector<std::string> names;
  if (dns01 != nullptr && dns01->has_delegation()) {
    auto issuer = issuance::EffectiveIssuer(store, *configured, domain.name);
    if (!issuer) return Fail(issuer.error());
    auto delegated = issuance::DelegatedNames(*issuer, *dns01, NamesOf(domain));
    if (!delegated) return Fail(delegated.error());
    names = std::move(*delegated);
  }
  if (names.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                domain.name +
                    ": no name of this domain is answered by DNS-01 delegation "
                    "(see [dns01.delegation] and [[dns01.zone]] solver = "
                    "\"delegation\" in the hub config, and the issuer's challenges)");
  }
  const auto before = store.GetDelegation(domain.name);
  const bool was_waiting = before && !before->check_state.empty() && before->check_state != "ok";
  auto check = issuance::CheckAndRecord(store, *dns01, domain.name, names, clock);
  if (!check) return Fail(check.error());
  Dns01CheckOutcome outcome{.check = std::move(*check)};
  if (outcome.check.ok() && was_waiting) {
    auto woken = store.RequestIssuance(actor, domain.id, clock.Now());
    if (!woken) return Fail(woken.error().WithContext(domain.name + ": waking the domain"));
    outcome.woken = true;
  }
  return outcome;
}

Status SetDomainChallenge(store::Store& store, const HubConfig& config, const store::Domain& domain,
                          const std::string& choice) {
  auto configured = IssuerOf(config, domain);
  if (!configured) return Fail(configured.error());
  auto issuer = issuance::WithChallengeChoice(*configured, choice);
  if (!issuer) return Fail(issuer.error().WithContext(domain.name));
  if (auto plan = issuance::PlanChallenges(*issuer, config.dns01, NamesOf(domain)); !plan)
    return Fail(plan.error());
  auto saved = store.SetChallengeChoice(domain.name, choice, solver::NewDelegationLabel());
  if (!saved) return Fail(saved.error().WithContext(domain.name));
  return Ok();
}

}  // namespace certfleet::hub
