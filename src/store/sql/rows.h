// Column lists and row readers: the one place that maps table columns to model fields.
// Each kXColumns string matches the column order its ReadX expects.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "store/model.h"
#include "store/sql/connection.h"

namespace certfleet::store::sql {

inline constexpr const char* kCustomerColumns =
    "id, name, contact, support_expires, version, created_at, updated_at";
Customer ReadCustomer(const Statement& s);

inline constexpr const char* kMachineColumns =
    "id, name, address, customer_id, agent_last_seen, agent_version, version, created_at, "
    "updated_at";
Machine ReadMachine(const Statement& s);

// Selected from "domains d"; the last column is the comma-separated machine ids.
inline constexpr const char* kDomainColumns =
    "d.id, d.name, d.sans, d.customer_id, d.issuer, d.key_type, d.profile, d.status, "
    "d.last_error, d.next_attempt_at, d.renew_at, d.failure_count, d.current_certificate_id, "
    "d.current_not_after, d.lease_owner, d.lease_until, d.version, d.created_at, d.updated_at, "
    "(SELECT group_concat(machine_id) FROM domain_machines dm WHERE dm.domain_id = d.id)";
Domain ReadDomain(const Statement& s);

inline constexpr const char* kCertificateColumns =
    "id, domain_id, chain_pem, encrypted_key, serial, not_before, not_after, sha256, issuer_cn, "
    "names, ari_window_start, ari_window_end, ari_retry_after, replaces_id, source, order_id, "
    "created_at";
CertificateVersion ReadCertificate(const Statement& s);

inline constexpr const char* kOrderColumns =
    "id, domain_id, issuer, state, acme_state, attempt, error, started_at, updated_at";
Order ReadOrder(const Statement& s);

inline constexpr const char* kEventColumns =
    "revision, id, type, subject, payload, created_at, published_at";
Event ReadEvent(const Statement& s);

inline constexpr const char* kTokenColumns =
    "id, name, role, machine_id, secret_sha256, created_at, last_used_at, revoked_at";
Token ReadToken(const Statement& s);

inline constexpr const char* kNotificationColumns =
    "id, channel, dedup_key, payload, attempts, next_attempt_at, last_error, delivered_at, "
    "created_at";
Notification ReadNotification(const Statement& s);

inline constexpr const char* kDeploymentColumns =
    "machine_id, certificate_id, domain_id, status, sha256, reported_at, error";
Deployment ReadDeployment(const Statement& s);

// `value` as JSON text. Never throws: a string that is not valid UTF-8 is written with
// U+FFFD in place of each bad byte (a strict dump would throw inside a transaction).
std::string JsonText(const nlohmann::json& value);

// JSON arrays of strings, as stored in domains.sans and certificates.names.
std::string NamesToJson(const std::vector<std::string>& names);
std::vector<std::string> NamesFromJson(const std::string& json);

// 'YYYY-MM-DD' ↔ year_month_day.
std::string FormatDate(std::chrono::year_month_day d);
std::optional<std::chrono::year_month_day> ParseDate(const std::string& text);

// Reads every row of `stmt` with `reader`.
template <typename T, typename Reader>
Result<std::vector<T>> ReadAll(Statement& stmt, Reader reader) {
  std::vector<T> out;
  while (true) {
    auto row = stmt.Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    out.push_back(reader(stmt));
  }
}

// Reads the single row of `stmt`; kNotFound with `not_found` as message if there is none.
template <typename T, typename Reader>
Result<T> ReadOne(Statement& stmt, Reader reader, const std::string& not_found) {
  auto row = stmt.Step();
  if (!row) return Fail(row.error());
  if (!*row) return Fail(ErrorCode::kNotFound, not_found);
  return reader(stmt);
}

}  // namespace certfleet::store::sql
