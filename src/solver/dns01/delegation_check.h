// DelegationChecker: is the customer's DNS ready for DNS-01 by delegation? For every name
// of a domain it asks the configured resolver — as the CA will — and says exactly what is
// missing or wrong, before any order is placed:
//
//   kMissing        no CNAME at _acme-challenge.<name>: "create ... CNAME ..."
//   kWrongTarget    a CNAME to another name (or TXT records instead of a CNAME)
//   kNotReachingHub the CNAME is right, but a probe value this hub just published at
//                   a throw-away name of the zone does not come back through the
//                   resolver: the zone is not (or not correctly) delegated to the hubs
//   kResolverError  the resolver itself could not be asked
//   kOk             all good
//
// The probe is a random TXT value on the DelegatedTxtBoard for the check's duration (so it
// also proves that the store → responder path works on whichever hub answered), at a
// random label of its own: nothing the check asks is at the domain's label, so no resolver
// holds an answer there that the CA could get instead of the digests, and an order may
// follow a passing check at once. Negative answers are cached for 1 s at most (the zone's
// SOA minimum), so a check repeated right after a fix sees the fix.
//
// Thread safety: Check may run concurrently; the board must allow it.
#pragma once

#include <string>
#include <vector>

#include "common/clock.h"
#include "dns/client.h"
#include "dns/server_address.h"
#include "solver/dns01/delegation.h"

namespace certfleet::solver {

enum class DelegationState { kOk, kMissing, kWrongTarget, kNotReachingHub, kResolverError };
// "ok", "missing", "wrong_target", "not_reaching_hub", "resolver_error" (API values).
std::string_view DelegationStateName(DelegationState state);

struct DelegationFinding {
  DelegationRecord record;  // what must exist
  DelegationState state = DelegationState::kOk;
  std::string found;    // what the resolver answered (a CNAME target, "NXDOMAIN", ...)
  std::string message;  // one sentence a support person can act on
};

struct DelegationCheck {
  std::vector<DelegationFinding> findings;
  bool ok() const;
  // The messages of the findings that are not ok, joined by "; " ("" when ok()).
  std::string Problems() const;
};

struct DelegationCheckSettings {
  dns::ServerAddress resolver;
  std::string zone;                      // the delegated zone
  std::vector<std::string> nameservers;  // its NS names, for the message
  dns::ExchangeOptions exchange{.timeout = std::chrono::seconds(4)};
  // A probe not seen at once is looked for again after this long (another hub may
  // load new records up to ~1 s late; a resolver may hold a 1 s negative answer).
  std::chrono::milliseconds probe_retry{1200};
};

class DelegationChecker {
 public:
  // `board` and `clock` must outlive the checker.
  DelegationChecker(DelegatedTxtBoard& board, DelegationCheckSettings settings, Clock& clock);

  // Checks every name of a domain (wildcards share their apex's record) against `label`.
  DelegationCheck Check(const std::vector<std::string>& names, std::string_view label);

 private:
  void CheckCname(DelegationFinding& finding) const;
  void CheckReach(std::vector<DelegationFinding*>& pending);

  DelegatedTxtBoard& board_;
  const DelegationCheckSettings settings_;
  Clock& clock_;
};

}  // namespace certfleet::solver
