#include "store/sql/rows.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace certfleet::store::sql {
namespace {

// Enum columns are written by this code only; an unknown value means a newer binary or
// manual editing, so fall back to the first value rather than failing the whole read.
template <typename E>
E ParseOr(Result<E> parsed, E fallback) {
  return parsed ? *parsed : fallback;
}

std::vector<Id> ParseIdList(const std::string& text) {
  std::vector<Id> ids;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    ids.push_back(std::stoll(text.substr(pos, comma - pos)));
    pos = comma + 1;
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string NamesToJson(const std::vector<std::string>& names) {
  return JsonText(nlohmann::json(names));
}

std::vector<std::string> NamesFromJson(const std::string& json) {
  auto parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> out;
  if (!parsed.is_array()) return out;
  for (const auto& v : parsed) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string FormatDate(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

std::optional<std::chrono::year_month_day> ParseDate(const std::string& text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

Customer ReadCustomer(const Statement& s) {
  Customer c;
  c.id = s.Int(0);
  c.name = s.Text(1);
  c.contact = s.Text(2);
  if (!s.IsNull(3)) c.support_expires = ParseDate(s.Text(3));
  c.version = s.Int(4);
  c.created_at = s.Time(5);
  c.updated_at = s.Time(6);
  return c;
}

Machine ReadMachine(const Statement& s) {
  Machine m;
  m.id = s.Int(0);
  m.name = s.Text(1);
  m.address = s.Text(2);
  m.customer_id = s.OptInt(3);
  m.agent_last_seen = s.OptTime(4);
  m.agent_version = s.Text(5);
  m.version = s.Int(6);
  m.created_at = s.Time(7);
  m.updated_at = s.Time(8);
  return m;
}

Domain ReadDomain(const Statement& s) {
  Domain d;
  d.id = s.Int(0);
  d.name = s.Text(1);
  d.sans = NamesFromJson(s.Text(2));
  d.customer_id = s.OptInt(3);
  d.issuer = s.Text(4);
  d.key_type = s.Text(5);
  d.profile = s.Text(6);
  d.status = ParseOr(ParseDomainStatus(s.Text(7)), DomainStatus::kPending);
  d.last_error = s.Text(8);
  d.next_attempt_at = s.OptTime(9);
  d.renew_at = s.OptTime(10);
  d.failure_count = static_cast<std::int32_t>(s.Int(11));
  d.current_certificate_id = s.OptInt(12);
  d.current_not_after = s.OptTime(13);
  d.lease_owner = s.Text(14);
  d.lease_until = s.OptTime(15);
  d.version = s.Int(16);
  d.created_at = s.Time(17);
  d.updated_at = s.Time(18);
  d.machine_ids = ParseIdList(s.Text(19));
  return d;
}

CertificateVersion ReadCertificate(const Statement& s) {
  CertificateVersion c;
  c.id = s.Int(0);
  c.domain_id = s.Int(1);
  c.chain_pem = s.Text(2);
  c.encrypted_key = s.Text(3);
  c.serial = s.Text(4);
  c.not_before = s.Time(5);
  c.not_after = s.Time(6);
  c.sha256 = s.Text(7);
  c.issuer_cn = s.Text(8);
  c.names = NamesFromJson(s.Text(9));
  c.ari_window_start = s.OptTime(10);
  c.ari_window_end = s.OptTime(11);
  c.ari_retry_after = s.OptTime(12);
  c.replaces_id = s.OptInt(13);
  c.source = ParseOr(ParseCertificateSource(s.Text(14)), CertificateSource::kAcme);
  c.order_id = s.OptInt(15);
  c.created_at = s.Time(16);
  return c;
}

Order ReadOrder(const Statement& s) {
  Order o;
  o.id = s.Int(0);
  o.domain_id = s.Int(1);
  o.issuer = s.Text(2);
  o.state = ParseOr(ParseOrderState(s.Text(3)), OrderState::kFailed);
  o.acme_state_json = s.Text(4);
  o.attempt = static_cast<std::int32_t>(s.Int(5));
  o.error = s.Text(6);
  o.started_at = s.Time(7);
  o.updated_at = s.Time(8);
  return o;
}

Event ReadEvent(const Statement& s) {
  Event e;
  e.revision = s.Int(0);
  e.id = s.Text(1);
  e.type = s.Text(2);
  e.subject = s.Text(3);
  e.payload_json = s.Text(4);
  e.created_at = s.Time(5);
  e.published_at = s.OptTime(6);
  return e;
}

Token ReadToken(const Statement& s) {
  Token t;
  t.id = s.Int(0);
  t.name = s.Text(1);
  t.role = ParseOr(ParseRole(s.Text(2)), Role::kReadonly);
  t.machine_id = s.OptInt(3);
  t.secret_sha256 = s.Text(4);
  t.created_at = s.Time(5);
  t.last_used_at = s.OptTime(6);
  t.revoked_at = s.OptTime(7);
  return t;
}

Notification ReadNotification(const Statement& s) {
  Notification n;
  n.id = s.Int(0);
  n.channel = s.Text(1);
  n.dedup_key = s.Text(2);
  n.payload_json = s.Text(3);
  n.attempts = static_cast<std::int32_t>(s.Int(4));
  n.next_attempt_at = s.Time(5);
  n.last_error = s.Text(6);
  n.delivered_at = s.OptTime(7);
  n.created_at = s.Time(8);
  return n;
}

Deployment ReadDeployment(const Statement& s) {
  Deployment d;
  d.machine_id = s.Int(0);
  d.certificate_id = s.Int(1);
  d.domain_id = s.Int(2);
  d.status = ParseOr(ParseDeploymentStatus(s.Text(3)), DeploymentStatus::kPending);
  d.sha256 = s.Text(4);
  d.reported_at = s.OptTime(5);
  d.error = s.Text(6);
  return d;
}

}  // namespace certfleet::store::sql
