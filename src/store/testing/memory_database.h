// MemoryDatabase: the tables of the memory store (memory_store.h) and the indexes that
// keep its hot queries cheap. Internal to store/testing; every member is guarded by `mu`.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/utf8.h"
#include "store/acme_account_book.h"
#include "store/challenge_board.h"
#include "store/delegation_book.h"
#include "store/model.h"
#include "store/session_book.h"
#include "store/testing/memory_discovery_tables.h"
#include "store/types.h"

namespace certfleet::store::testing {

// Times as stored: whole milliseconds.
inline TimePoint Ms(TimePoint t) {
  return TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()));
}
inline std::optional<TimePoint> Ms(const std::optional<TimePoint>& t) {
  return t ? std::optional<TimePoint>(Ms(*t)) : std::nullopt;
}

// Text as stored: invalid UTF-8 never is (U+FFFD per bad byte), as with SQLite and
// PostgreSQL. Applied to text that crosses a boundary (reports, errors, certificate fields).
inline std::string Text(std::string_view s) { return ToValidUtf8(s); }

struct MemoryDatabase {
  explicit MemoryDatabase(std::uint64_t seed) : rng(seed) {}

  std::mutex mu;
  std::mt19937_64 rng;  // event ids

  std::map<Id, Customer> customers;
  std::unordered_map<std::string, Id> customer_names;
  Id next_customer = 1;

  std::map<Id, Machine> machines;
  std::unordered_map<std::string, Id> machine_names;
  Id next_machine = 1;

  std::map<Id, Domain> domains;  // machine_ids kept ascending
  std::unordered_map<std::string, Id> domain_names;
  std::map<Id, std::set<Id>> machine_domains;    // machine → hosted domains
  std::set<std::pair<TimePoint, Id>> claimable;  // (next_attempt_at, id), non-manual
  std::set<std::pair<TimePoint, Id>> renewals;   // (renew_at, id)
  // (current_not_after, id) of every domain with a current certificate, and of those that
  // do not renew by themselves (manual, failed, failing): ListExpiryCandidates.
  std::set<std::pair<TimePoint, Id>> expiries;
  std::set<std::pair<TimePoint, Id>> expiries_unattended;
  Id next_domain = 1;

  std::map<Id, CertificateVersion> certificates;
  std::map<Id, std::vector<Id>> domain_certificates;  // ascending id
  Id next_certificate = 1;

  std::map<Id, Order> orders;
  std::map<Id, std::vector<Id>> domain_orders;  // ascending id
  std::map<Id, Id> active_orders;               // domain → its non-terminal order
  Id next_order = 1;

  std::map<std::string, Challenge, std::less<>> challenges;
  // DNS-01 records placed by RFC 2136, by (zone, name, value).
  std::map<std::tuple<std::string, std::string, std::string>, PlacedTxt> placed_txt;

  std::map<std::string, DomainDelegation, std::less<>> delegations;  // by domain name
  std::set<std::string, std::less<>> delegation_labels;
  std::map<std::string, DelegatedTxt, std::less<>> delegated_txt;  // by key

  std::map<std::pair<Id, Id>, Deployment> deployments;  // (machine, certificate)

  std::vector<Event> events;  // events[r - 1] has revision r
  std::set<Revision> unpublished;
  std::map<std::string, Revision, std::less<>> cursors;

  std::map<Id, Token> tokens;
  std::unordered_map<std::string, Id> token_hashes;
  Id next_token = 1;

  std::map<std::string, UiSession, std::less<>> ui_sessions;  // by id_sha256

  std::map<std::string, AcmeAccount, std::less<>> acme_accounts;  // by directory URL

  std::vector<AuditEntry> audit;  // audit[i].id == i + 1

  std::map<Id, Notification> notifications;
  std::set<std::pair<std::string, std::string>> notification_keys;  // (channel, dedup_key)
  // channel → (next_attempt_at, id) of undelivered notifications
  std::map<std::string, std::set<std::pair<TimePoint, Id>>, std::less<>> due_notifications;
  Id next_notification = 1;

  DiscoveryTables discovery;  // issue 19: memory_discovery.cc
};

}  // namespace certfleet::store::testing
