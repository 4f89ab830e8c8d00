// Searching the audit log: by time, person, customer (its record, its machines and its
// domains), machine, domain or exact target; newest first, paged backwards. Shared by
// GET /api/v1/audit, the web UI's audit page and so `certfleet audit`.
//
// The store pages the log by id (AuditQuery); the filters other than `target` are applied
// here while reading backwards, so a search reads at most kMaxScanned entries per call and
// says where to continue (next_before).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "hub/service/activity.h"
#include "store/store.h"

namespace certfleet::hub::service {

inline constexpr std::int64_t kMaxScanned = 20'000;

struct AuditFilter {
  std::optional<TimePoint> since;  // entries at or after
  std::optional<TimePoint> until;  // entries before
  std::string actor;               // substring of the person or token, case-insensitive
  std::string domain;              // substring of the domain name
  std::string customer;            // exact customer name
  std::string machine;             // exact machine name
  std::string target;              // exact target ("domain:shop.example.com")
  // Leave out token.created / token.revoked (a token's name, role and machine): set for
  // everyone but admins (hub/auth.h MaySeeTokenLifecycle; review 2026-12-06, F17).
  bool hide_tokens = false;
};

struct AuditHit {
  store::AuditEntry entry;
  Activity activity;
};

struct AuditPage {
  std::vector<AuditHit> hits;
  // Where to continue (the id to pass as `before`), or nullopt when the log ended or
  // `since` was passed.
  std::optional<store::Id> next_before;
};

// kNotFound when `customer` names no customer.
Result<AuditPage> SearchAudit(store::Store& store, const AuditFilter& filter, std::int64_t limit,
                              std::optional<store::Id> before);

}  // namespace certfleet::hub::service
