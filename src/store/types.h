// Request and result types shared by the store's role interfaces (store/catalog.h,
// store/issuance_ledger.h, ...). Plain values; see store/model.h for the rows themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "store/model.h"

namespace certfleet::store {

// Who performs a mutation, for the audit log: "token:3 (alice)", "system:issuance".
struct Actor {
  std::string name;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the filter, ignoring limit/offset
  // ListDomains with a DomainQuery::count_limit: more than `total` rows match (the count
  // stopped at the limit).
  bool total_is_lower_bound = false;
  // ListDomains: rows follow this page in the query's order (the next page is not empty).
  bool more = false;
};

struct NameQuery {
  std::string name_contains;  // case-insensitive substring; empty = all
  std::int64_t limit = 100;
  std::int64_t offset = 0;
};

enum class DomainSort { kName, kNotAfter, kUpdatedAt, kStatus, kNextAttempt };

// A row's place in a domain list sorted by `sort`: its sort column and its name, which is
// unique and breaks ties. A missing time sorts before every time (first ascending, last
// descending). Keyset paging (DomainQuery::after) continues after such a key.
struct DomainKey {
  std::string value;              // kStatus: the status name; unused for the other sorts
  std::optional<TimePoint> time;  // kNotAfter, kUpdatedAt, kNextAttempt
  std::string name;
};

inline DomainKey KeyOf(const Domain& d, DomainSort sort) {
  switch (sort) {
    case DomainSort::kName:
      break;
    case DomainSort::kNotAfter:
      return {"", d.current_not_after, d.name};
    case DomainSort::kUpdatedAt:
      return {"", d.updated_at, d.name};
    case DomainSort::kStatus:
      return {std::string(DomainStatusName(d.status)), std::nullopt, d.name};
    case DomainSort::kNextAttempt:
      return {"", d.next_attempt_at, d.name};
  }
  return {"", std::nullopt, d.name};
}

// DomainQuery::count_limit: count every matching row.
inline constexpr std::int64_t kCountAll = -1;

struct DomainQuery {
  std::string name_contains;  // substring of the primary name or a SAN (case-insensitive)
  std::optional<Id> customer_id;
  std::optional<Id> machine_id;
  std::optional<DomainStatus> status;
  std::string issuer;                        // exact; empty = any
  std::optional<TimePoint> expiring_before;  // current certificate not_after < this
  // Rows are ordered by the sort column, then by name (unique).
  DomainSort sort = DomainSort::kName;
  bool descending = false;
  std::int64_t limit = 100;  // capped at 1000
  // Keyset paging: only the rows after this key in the query's order (KeyOf the previous
  // page's last row, with the same sort and direction). Reads no row before it, unlike
  // `offset`, which reads and drops `offset` rows (applied after `after`, if both).
  std::optional<DomainKey> after;
  std::int64_t offset = 0;
  // Page::total: kCountAll counts every match (a scan of all of them); n > 0 counts at
  // most n and sets Page::total_is_lower_bound when more match; 0 does not count (total 0).
  std::int64_t count_limit = kCountAll;
};

// The expiry scan's read (Catalog::ListExpiryCandidates): the domains whose certificate may
// need a warning, walked by (current_not_after, id) keyset pages.
struct ExpiryCandidateQuery {
  TimePoint ending_before{};  // current certificate not_after < this (the largest threshold)
  TimePoint ending_soon{};    // not_after <= this matches whatever the domain's state
  // The (current_not_after, id) of the previous page's last row; unset = from the start.
  std::optional<std::pair<TimePoint, Id>> after;
  std::int64_t limit = 500;  // capped at 1000
};

// A worker's exclusive claim on one domain until `until`. The domain is the unit of
// issuance work: whoever holds its lease may create and advance its order. The pair
// (owner, until) identifies the lease: a newer claim by the same owner replaces `until`,
// so writes under the older Lease value are refused (kConflict).
struct Lease {
  Id domain_id = 0;
  // Stable across restarts of the same worker slot (e.g. "<worker id>/<thread>"), and
  // used by one claimer at a time: two live claimers with one owner id would take each
  // other's domains (see IssuanceLedger::ClaimDueDomains).
  std::string owner;
  TimePoint until{};
};

struct ClaimRequest {
  std::string owner;
  TimePoint now{};
  Duration lease_for{std::chrono::minutes(5)};
  std::int64_t limit = 1;
};

// What the worker writes to a domain it holds: progress, outcome, next schedule.
struct AttemptUpdate {
  DomainStatus status = DomainStatus::kIssuing;
  std::string last_error;
  std::int32_t failure_count = 0;
  std::optional<TimePoint> next_attempt_at;
  std::optional<TimePoint> renew_at;
  bool release = false;  // true: drop the lease (attempt finished)
};

// One domain in a machine's desired state; certificate fields are empty until the
// domain has a current certificate.
struct DesiredCertificate {
  Id domain_id = 0;
  std::string domain;
  std::vector<std::string> sans;
  std::optional<Id> certificate_id;
  std::string sha256;
  std::optional<TimePoint> not_after;
};

struct DesiredState {
  Id machine_id = 0;
  std::string machine;
  Revision revision = 0;                         // max event revision visible when this was read
  std::vector<DesiredCertificate> certificates;  // sorted by domain name
};

struct AuditQuery {
  std::string target;  // exact; empty = all
  std::int64_t limit = 100;
  std::optional<Id> before_id;  // page backwards: entries with id < before_id
};

}  // namespace certfleet::store
