// Dns01View: what the API, the CLI (through the API) and the web UI show about one
// domain's DNS-01 (issue 15) — which challenge answers each name, and for names answered
// by delegation the CNAME the customer must create and the last check of it — and the
// check itself, run on request.
//
// Thread safety: free functions over thread-safe parts; the check blocks for a few
// seconds at most (DNS queries through the configured resolver).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "hub/config.h"
#include "issuance/challenge_plan.h"
#include "issuance/dns01_runtime.h"
#include "solver/dns01/delegation.h"
#include "solver/dns01/delegation_check.h"
#include "store/store.h"

namespace certfleet::hub {

struct Dns01View {
  std::string domain;
  std::string issuer;
  std::string challenge;  // the domain's choice: "", "http-01", "dns-01"
  std::vector<issuance::NamePlan> plan;
  std::string plan_error;  // why the names cannot be planned (then `plan` is empty)
  // With names answered by delegation: the zone, the domain's label, the CNAMEs to create
  // and the last check ("" = never checked).
  bool delegated = false;
  std::string zone;
  std::string label;
  std::vector<solver::DelegationRecord> records;
  std::string check_state;
  std::string check_message;
  std::optional<TimePoint> checked_at;
};

// The view of `domain` (its label is made on first use, so the CNAME can be shown before
// any order). kInvalidArgument for a "manual" domain (no challenges).
Result<Dns01View> BuildDns01View(store::Store& store, const HubConfig& config,
                                 const issuance::Dns01Runtime* dns01, const store::Domain& domain);

struct Dns01CheckOutcome {
  solver::DelegationCheck check;
  bool woken = false;  // the domain was waiting for its delegation and is due now
};

// Checks the delegation of the domain's delegated names now, saves the outcome, and wakes
// the domain (RequestIssuance as `actor`) when it was waiting and the check passed.
// kInvalidArgument when no name of the domain goes by delegation.
Result<Dns01CheckOutcome> CheckDomainDelegation(store::Store& store, const HubConfig& config,
                                                const issuance::Dns01Runtime* dns01,
                                                const store::Domain& domain,
                                                const store::Actor& actor, Clock& clock);

// Saves the domain's challenge choice after checking that its names can be planned
// with it (the error names the name and what to configure).
Status SetDomainChallenge(store::Store& store, const HubConfig& config, const store::Domain& domain,
                          const std::string& choice);

}  // namespace certfleet::hub
