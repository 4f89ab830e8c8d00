// The issuance side of DNS-01 by delegation (issue 15): where the delegated zone's TXT
// records live (the store, so every hub answers them), each domain's label, and the gate
// before a new order — a domain whose customer has not created the CNAME yet waits with a
// message saying what to create, without asking the CA (no failed authorizations, no
// rate-limit cost).
//
// Thread safety: all of it may run on any number of worker threads (the store is safe).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "issuance/dns01_runtime.h"
#include "issuance/issuer_config.h"
#include "solver/dns01/delegation.h"
#include "solver/dns01/txt_snapshot.h"
#include "store/delegation_book.h"

namespace certfleet::issuance {

// solver::DelegatedTxtBoard on the store (store::DelegationBook).
class StoreTxtBoard final : public solver::DelegatedTxtBoard {
 public:
  explicit StoreTxtBoard(store::DelegationBook& book) : book_(book) {}
  Status Publish(std::string_view key, std::string_view label, std::string_view value,
                 TimePoint expires_at) override;
  Status Withdraw(std::string_view key) override;

 private:
  store::DelegationBook& book_;
};

// The responder's TxtSnapshot loader: the unexpired records now. Every `purge_every`
// calls it also deletes the expired ones (housekeeping; any hub may do it).
solver::TxtSnapshot::Loader DelegatedTxtLoader(store::DelegationBook& book, Clock& clock,
                                               int purge_every = 120);

// The domain's label, made (unguessable, solver::NewDelegationLabel) on first use.
Result<std::string> DelegationLabelOf(store::DelegationBook& book, const std::string& domain);

// The issuer as `domain` uses it: WithChallengeChoice with the domain's stored choice
// (none stored = as configured).
Result<IssuerConfig> EffectiveIssuer(store::DelegationBook& book, const IssuerConfig& issuer,
                                     const std::string& domain);

// The names of `names` that the issuer answers by delegation (issuance/challenge_plan.h),
// as they appear on the certificate. Empty without [dns01.delegation].
Result<std::vector<std::string>> DelegatedNames(const IssuerConfig& issuer,
                                                const Dns01Runtime& dns01,
                                                const std::vector<std::string>& names);

// Runs the delegation check for `domain` over `names` (its delegated names), saves the
// outcome on the store, and returns it.
Result<solver::DelegationCheck> CheckAndRecord(store::DelegationBook& book,
                                               const Dns01Runtime& dns01, const std::string& domain,
                                               const std::vector<std::string>& names, Clock& clock);

}  // namespace certfleet::issuance
