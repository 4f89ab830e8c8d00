// DelegationBook: DNS-01 by delegation (issue 15) — each domain's stable label, the last
// delegation check, and the TXT records every hub's DNS responder answers for the zone
// delegated to the hubs (solver/dns01/delegation.h).
//
// Labels are keyed by the domain's name, not its id: a domain deleted and saved again
// keeps its label, so the customer's CNAME (_acme-challenge.<name> → <label>.<zone>)
// stays right. A label is never reused for another name.
//
// Callers: the issuance job and the API's DNS-01 view (EnsureDelegation, checks), the
// delegation solver and check (TXT records), the responder's snapshot (ListDelegatedTxt,
// every ~second on every hub), housekeeping. Housekeeping only: no audit, and no event
// except domain.delegation when a check's state changes (the notifier tells support).
// Every hub on the same database sees the same labels and records.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::store {

struct DomainDelegation {
  std::string domain;  // canonical primary name of the domain
  std::string label;   // one DNS label, lower-case, unguessable
  // The challenge type chosen for this domain: "" = the issuer's order, "http-01" or
  // "dns-01" (kept here, beside the label, so the catalog's domain rows stay as they are).
  std::string challenge;
  // The last delegation check: "" = never checked, else its state ("ok", "missing", ...,
  // solver::DelegationStateName) and the sentence it ended with.
  std::string check_state;
  std::string check_message;
  std::optional<TimePoint> checked_at;
};

// One TXT record of the delegated zone: `value` at <label>.<zone> until `expires_at`.
struct DelegatedTxt {
  std::string key;  // names the record (an ACME challenge token, a check's probe)
  std::string label;
  std::string value;
  TimePoint expires_at{};
};

class DelegationBook {
 public:
  virtual ~DelegationBook() = default;

  // The domain's delegation: the stored one, or a new one with `fresh_label` (the first
  // call for this name; the caller makes the label unguessable). kInvalidArgument for an
  // empty name or label; kAlreadyExists when `fresh_label` already belongs to another name.
  virtual Result<DomainDelegation> EnsureDelegation(std::string_view domain,
                                                    std::string_view fresh_label) = 0;
  // kNotFound when the name has no label yet.
  virtual Result<DomainDelegation> GetDelegation(std::string_view domain) = 0;
  // Sets the domain's challenge choice ("", "http-01", "dns-01"; not checked here),
  // making its delegation with `fresh_label` first if needed (as EnsureDelegation).
  virtual Result<DomainDelegation> SetChallengeChoice(std::string_view domain,
                                                      std::string_view challenge,
                                                      std::string_view fresh_label) = 0;
  // Saves the outcome of a delegation check; appends domain.delegation when `state`
  // differs from the last check's (events::DelegationCheckChanged). kNotFound when the
  // name has no label.
  virtual Status RecordDelegationCheck(std::string_view domain, std::string_view state,
                                       std::string_view message, TimePoint at) = 0;

  // Inserts or replaces the record named record.key. kInvalidArgument for an empty key,
  // label or value.
  virtual Status PublishDelegatedTxt(const DelegatedTxt& record) = 0;
  // Removes it; fine for an unknown key.
  virtual Status WithdrawDelegatedTxt(std::string_view key) = 0;
  // Every record with expires_at > now, ordered by label, then key.
  virtual Result<std::vector<DelegatedTxt>> ListDelegatedTxt(TimePoint now) = 0;
  // Deletes records with expires_at <= now; returns how many.
  virtual Result<std::int64_t> DeleteExpiredDelegatedTxt(TimePoint now) = 0;
};

}  // namespace certfleet::store
