#include "hub/service/audit_search.h"

#include <cctype>

#include "hub/service/lookup.h"

namespace certfleet::hub::service {
namespace {

struct CustomerScope {
  std::string name;
  std::set<std::string> machines, domains;
};

Result<CustomerScope> ScopeOf(store::Store& store, const std::string& customer) {
  auto c = FindCustomer(store, customer);
  if (!c) return Fail(c.error());
  CustomerScope scope{c->name, {}, {}};
  auto machines = AllMachines(store);
  if (!machines) return Fail(machines.error());
  for (const auto& m : *machines) {
    if (m.customer_id == c->id) scope.machines.insert(m.name);
  }
  store::DomainQuery q{.customer_id = c->id, .limit = 1000, .count_limit = 0};
  for (;;) {
    auto page = store.ListDomains(q);
    if (!page) return Fail(page.error());
    for (const auto& d : page->items) scope.domains.insert(d.name);
    if (!page->more || page->items.empty()) break;
    q.after = store::KeyOf(page->items.back(), q.sort);
  }
  return scope;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

bool Matches(const AuditFilter& f, const store::AuditEntry& e, const Activity& a,
             const CustomerScope* scope) {
  if (f.until && e.at >= *f.until) return false;
  if (f.hide_tokens && e.action.starts_with("token.")) return false;
  if (!Contains(a.who, f.actor) && !Contains(e.actor, f.actor)) return false;
  if (!f.domain.empty() && (a.domain.empty() || !Contains(a.domain, f.domain))) return false;
  if (!f.machine.empty() && a.machine != f.machine) return false;
  if (scope) {
    return a.customer == scope->name || scope->machines.count(a.machine) ||
           scope->domains.count(a.domain);
  }
  return true;
}

}  // namespace

Result<AuditPage> SearchAudit(store::Store& store, const AuditFilter& filter, std::int64_t limit,
                              std::optional<store::Id> before) {
  std::optional<CustomerScope> scope;
  if (!filter.customer.empty()) {
    auto s = ScopeOf(store, filter.customer);
    if (!s) return Fail(s.error());
    scope = std::move(*s);
  }
  AuditPage page;
  store::AuditQuery q{.target = filter.target, .limit = 1000, .before_id = before};
  for (std::int64_t scanned = 0; scanned < kMaxScanned; scanned += q.limit) {
    auto entries = store.ListAudit(q);
    if (!entries) return Fail(entries.error());
    for (const auto& e : *entries) {
      if (filter.since && e.at < *filter.since) return page;  // older than wanted: done
      Activity a = DescribeAudit(e);
      if (Matches(filter, e, a, scope ? &*scope : nullptr)) {
        page.hits.push_back({e, std::move(a)});
      }
      if (static_cast<std::int64_t>(page.hits.size()) >= limit) {
        page.next_before = e.id;
        return page;
      }
    }
    if (static_cast<std::int64_t>(entries->size()) < q.limit) return page;  // the log ended
    q.before_id = entries->back().id;
  }
  page.next_before = q.before_id;  // scanned enough for one call: continue from here
  return page;
}

}  // namespace certfleet::hub::service
