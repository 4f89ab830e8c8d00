#include "hub/api/json_model.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "common/time_format.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

template <typename Lookup>
std::string CachedName(std::map<store::Id, std::string>& cache, store::Id id, Lookup lookup) {
  auto it = cache.find(id);
  if (it != cache.end()) return it->second;
  auto row = lookup(id);
  std::string name = row ? row->name : "#" + std::to_string(id);
  cache.emplace(id, name);
  return name;
}

json DateJson(const std::optional<std::chrono::year_month_day>& date) {
  if (!date) return nullptr;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date->year()),
                static_cast<unsigned>(date->month()), static_cast<unsigned>(date->day()));
  return text;
}

// Stored JSON text as a JSON value; "{}" if it somehow does not parse.
json ParseStored(const std::string& text) {
  auto value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? json::object() : value;
}

}  // namespace

std::string NameCache::Customer(store::Id id) {
  return CachedName(customers_, id, [&](store::Id i) { return store_.GetCustomer(i); });
}
std::string NameCache::Machine(store::Id id) {
  return CachedName(machines_, id, [&](store::Id i) { return store_.GetMachine(i); });
}
std::string NameCache::Domain(store::Id id) {
  return CachedName(domains_, id, [&](store::Id i) { return store_.GetDomain(i); });
}

void NameCache::Prefetch(const std::vector<store::Domain>& domains) {
  constexpr std::size_t kOneByOne = 4;  // up to this many unknown names, a read each
  std::set<store::Id> customers, machines;
  for (const auto& d : domains) {
    if (d.customer_id && !customers_.contains(*d.customer_id)) customers.insert(*d.customer_id);
    for (store::Id m : d.machine_ids) {
      if (!machines_.contains(m)) machines.insert(m);
    }
  }
  if (customers.size() > kOneByOne) {
    if (auto page = store_.ListCustomers({.limit = 1000})) {
      for (const auto& c : page->items) customers_.emplace(c.id, c.name);
    }
  }
  if (machines.size() > kOneByOne) {
    if (auto page = store_.ListMachines({.limit = 1000})) {
      for (const auto& m : page->items) machines_.emplace(m.id, m.name);
    }
  }
}

json TimeJson(std::optional<TimePoint> t) {
  if (!t) return nullptr;
  return FormatRfc3339(*t);
}

json CustomerJson(const store::Customer& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"contact", c.contact},
          {"support_expires", DateJson(c.support_expires)},
          {"version", c.version},
          {"created_at", TimeJson(c.created_at)},
          {"updated_at", TimeJson(c.updated_at)}};
}

json MachineJson(const store::Machine& m, NameCache& names) {
  return {{"id", m.id},
          {"name", m.name},
          {"address", m.address},
          {"customer", m.customer_id ? json(names.Customer(*m.customer_id)) : json(nullptr)},
          {"agent_last_seen", TimeJson(m.agent_last_seen)},
          {"agent_version", m.agent_version},
          {"version", m.version},
          {"created_at", TimeJson(m.created_at)},
          {"updated_at", TimeJson(m.updated_at)}};
}

json DomainJson(const store::Domain& d, NameCache& names) {
  json machines = json::array();
  for (store::Id id : d.machine_ids) machines.push_back(names.Machine(id));
  return {{"id", d.id},
          {"name", d.name},
          {"sans", d.sans},
          {"customer", d.customer_id ? json(names.Customer(*d.customer_id)) : json(nullptr)},
          {"machines", machines},
          {"issuer", d.issuer},
          {"key_type", d.key_type},
          {"profile", d.profile},
          {"status", store::DomainStatusName(d.status)},
          {"last_error", d.last_error},
          {"next_attempt_at", TimeJson(d.next_attempt_at)},
          {"renew_at", TimeJson(d.renew_at)},
          {"failure_count", d.failure_count},
          {"current_certificate_id",
           d.current_certificate_id ? json(*d.current_certificate_id) : json(nullptr)},
          {"not_after", TimeJson(d.current_not_after)},
          {"version", d.version},
          {"created_at", TimeJson(d.created_at)},
          {"updated_at", TimeJson(d.updated_at)}};
}

json CertificateJson(const store::CertificateVersion& c, bool with_chain) {
  json out = {{"id", c.id},
              {"domain_id", c.domain_id},
              {"serial", c.serial},
              {"sha256", c.sha256},
              {"not_before", TimeJson(c.not_before)},
              {"not_after", TimeJson(c.not_after)},
              {"issuer", c.issuer_cn},
              {"names", c.names},
              {"source", store::CertificateSourceName(c.source)},
              {"ari_window_start", TimeJson(c.ari_window_start)},
              {"ari_window_end", TimeJson(c.ari_window_end)},
              {"replaces_id", c.replaces_id ? json(*c.replaces_id) : json(nullptr)},
              {"created_at", TimeJson(c.created_at)}};
  if (with_chain) out["chain_pem"] = c.chain_pem;
  return out;
}

json DeploymentJson(const store::Deployment& d, NameCache& names) {
  return {{"machine", names.Machine(d.machine_id)},
          {"domain", names.Domain(d.domain_id)},
          {"certificate_id", d.certificate_id},
          {"status", store::DeploymentStatusName(d.status)},
          {"sha256", d.sha256},
          {"reported_at", TimeJson(d.reported_at)},
          {"error", d.error}};
}

json EventJson(const store::Event& e) {
  return {{"revision", e.revision},
          {"id", e.id},
          {"type", e.type},
          {"subject", e.subject},
          {"payload", ParseStored(e.payload_json)},
          {"created_at", TimeJson(e.created_at)}};
}

json TokenJson(const store::Token& t, NameCache& names) {
  return {{"id", t.id},
          {"name", t.name},
          {"role", store::RoleName(t.role)},
          {"machine", t.machine_id ? json(names.Machine(*t.machine_id)) : json(nullptr)},
          {"created_at", TimeJson(t.created_at)},
          {"last_used_at", TimeJson(t.last_used_at)},
          {"revoked_at", TimeJson(t.revoked_at)}};
}

json AuditJson(const store::AuditEntry& a) {
  return {{"id", a.id},         {"actor", a.actor},     {"action", a.action},
          {"target", a.target}, {"at", TimeJson(a.at)}, {"details", ParseStored(a.details_json)}};
}

json OrderJson(const store::Order& o) {
  return {{"id", o.id},
          {"issuer", o.issuer},
          {"state", store::OrderStateName(o.state)},
          {"attempt", o.attempt},
          {"error", o.error},
          {"started_at", TimeJson(o.started_at)},
          {"updated_at", TimeJson(o.updated_at)}};
}

json DomainStateJson(const service::DomainState& s) {
  return {{"label", s.label},
          {"tone", service::ToneName(s.tone)},
          {"problems", s.problems},
          {"uncovered", s.uncovered}};
}

json FleetStatusJson(const service::FleetStatus& f) {
  const auto& c = f.counts;
  json counts = {{"domains", c.domains},
                 {"valid", c.valid},
                 {"renewing", c.renewing},
                 {"failed", c.failed},
                 {"pending", c.pending},
                 {"awaiting_upload", c.awaiting_upload},
                 {"expiring_soon", c.expiring_soon},
                 {"expired", c.expired},
                 {"deploy_failed", c.deploy_failed},
                 {"not_deployed", c.not_deployed},
                 {"machines", c.machines},
                 {"agents_silent", c.agents_silent}};
  json items = json::array();
  for (const auto& a : f.attention) {
    items.push_back({{"kind", a.kind},
                     {"tone", service::ToneName(a.tone)},
                     {"domain", a.domain.empty() ? json(nullptr) : json(a.domain)},
                     {"machine", a.machine.empty() ? json(nullptr) : json(a.machine)},
                     {"message", a.message},
                     {"when", TimeJson(a.when)}});
  }
  return {{"needs_attention", f.NeedsAttention()},
          {"counts", counts},
          {"expiry_weeks", f.expiry_weeks},
          {"attention", items}};
}

}  // namespace certfleet::hub::api
