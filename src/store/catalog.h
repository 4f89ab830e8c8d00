// Catalog: customers, machines, domains and each machine's desired state — what support
// staff enter and what agents are told to deploy.
//
// Callers: the hub's service layer, API and UI (reads and writes), the notifier (names
// and scans), the agent API (GetDesiredState, RecordAgentSeen), the renewal views.
//
// Contract (besides the one every role shares, see store/store.h):
// - Names are unique per kind; a taken name → kAlreadyExists "<kind> '<name>' already exists".
// - Updates are version-checked: a stale `version` → kConflict telling the person to reload.
// - Events (store/event_types.h): customer.*, machine.*, domain.* in the same transaction,
//   plus machine.desired_changed for every machine whose desired state changed
//   (store/events.h AffectedMachines decides which).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class Catalog {
 public:
  virtual ~Catalog() = default;

  // ---- customers ----
  virtual Result<Customer> CreateCustomer(const Actor& actor, const Customer& c) = 0;
  virtual Result<Customer> GetCustomer(Id id) = 0;
  virtual Result<Customer> GetCustomerByName(std::string_view name) = 0;
  // Sorted by name.
  virtual Result<Page<Customer>> ListCustomers(const NameQuery& q) = 0;
  // Writes name/contact/support_expires if c.version matches the stored one (kConflict
  // otherwise); returns the row with the new version.
  virtual Result<Customer> UpdateCustomer(const Actor& actor, const Customer& c) = 0;
  // kConflict while domains or machines refer to the customer.
  virtual Status DeleteCustomer(const Actor& actor, Id id) = 0;

  // ---- machines ----
  virtual Result<Machine> CreateMachine(const Actor& actor, const Machine& m) = 0;
  virtual Result<Machine> GetMachine(Id id) = 0;
  virtual Result<Machine> GetMachineByName(std::string_view name) = 0;
  // Sorted by name.
  virtual Result<Page<Machine>> ListMachines(const NameQuery& q) = 0;
  // Writes name/address/customer_id; version-checked like UpdateCustomer.
  virtual Result<Machine> UpdateMachine(const Actor& actor, const Machine& m) = 0;
  // kConflict while the machine hosts domains ("machine 'web-03' still hosts 12 domain(s);
  // remove it from them first"). Deletes its deployments and its agent tokens.
  virtual Status DeleteMachine(const Actor& actor, Id id) = 0;
  // Agent heartbeat. Housekeeping: no event, no audit. kNotFound for an unknown machine.
  virtual Status RecordAgentSeen(Id machine_id, TimePoint at, std::string_view agent_version) = 0;

  // ---- domains ----
  // Stores config and the initial status/next_attempt_at/renew_at the hub chose.
  // kInvalidArgument for an empty name or issuer; kNotFound naming a missing customer or
  // machine.
  virtual Result<Domain> CreateDomain(const Actor& actor, const Domain& d) = 0;
  virtual Result<Domain> GetDomain(Id id) = 0;
  virtual Result<Domain> GetDomainByName(std::string_view name) = 0;
  virtual Result<Page<Domain>> ListDomains(const DomainQuery& q) = 0;
  // Writes name, sans, customer, machines, issuer, key_type, profile, status, last_error,
  // next_attempt_at, renew_at and failure_count if d.version matches (kConflict
  // otherwise). Not the lease or the current certificate. Machines added or removed get
  // machine.desired_changed events.
  virtual Result<Domain> UpdateDomain(const Actor& actor, const Domain& d) = 0;
  // Deletes the domain with its certificates, orders, challenges and deployments; its
  // machines get machine.desired_changed events.
  virtual Status DeleteDomain(const Actor& actor, Id id) = 0;
  // The support staff's button: next_attempt_at = at, failure_count = 0; emits
  // domain.issue_requested.
  virtual Result<Domain> RequestIssuance(const Actor& actor, Id domain_id, TimePoint at) = 0;
  // Domains with renew_at ≤ t (any issuer), ascending by renew_at. Read-only; the
  // worker finds its work through IssuanceLedger::ClaimDueDomains.
  virtual Result<std::vector<Domain>> ListDomainsDueForRenewal(TimePoint t, std::int64_t limit) = 0;
  // The expiry scan's read (notify::ScanExpiring, every few minutes): domains with a
  // current certificate ending before q.ending_before that may need a warning — issuer
  // kManualIssuer, status failed, failure_count > 0, or ending at or before q.ending_soon
  // — ascending by (current_not_after, id), after q.after, at most q.limit rows. The many
  // domains a healthy fleet renews by itself are not read, and keyset pages cost the same
  // at any depth (OFFSET pages re-read every row before them).
  virtual Result<std::vector<Domain>> ListExpiryCandidates(const ExpiryCandidateQuery& q) = 0;

  // ---- desired state ----
  // The agent's hot path: the domains hosted on the machine with their current
  // certificate ids and fingerprints, plus the outbox revision they correspond to (rows
  // and revision from one snapshot). kNotFound for an unknown machine.
  virtual Result<DesiredState> GetDesiredState(Id machine_id) = 0;
  // The name of domain `domain_id` if machine `machine_id` hosts it, kNotFound otherwise
  // (unknown domain or machine, or not hosted there). The agent endpoints' access check:
  // one row, whatever the number of machines hosting the domain (GetDomain reads them all).
  virtual Result<std::string> HostedDomainName(Id machine_id, Id domain_id) = 0;
};

}  // namespace certfleet::store
