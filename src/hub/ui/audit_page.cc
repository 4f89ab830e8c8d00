// GET /ui/audit: who changed what, newest first, in words (service::DescribeAudit), with the
// old → new values of changes; filtered by person, customer (its own record, its machines
// and its domains), machine or domain. Looks through the latest kScanned entries.
#include <set>

#include "hub/api/json_body.h"
#include "hub/api/lookup.h"
#include "hub/service/activity.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::int64_t kScanned = 5000;
constexpr std::size_t kShown = 200;

struct AuditFilters {
  std::string who, customer, machine, domain;
};

// The names a customer filter matches: the customer, its machines and its domains.
struct CustomerScope {
  std::set<std::string> machines, domains;
};

Result<CustomerScope> ScopeOf(UiContext& ui, const std::string& customer) {
  CustomerScope scope;
  auto c = api::FindCustomer(ui.api, customer);
  if (!c) return Fail(c.error());
  auto machines = ui.api.store.ListMachines({.limit = 1000});
  if (!machines) return Fail(machines.error());
  for (const auto& m : machines->items) {
    if (m.customer_id == c->id) scope.machines.insert(m.name);
  }
  store::DomainQuery q{.customer_id = c->id, .limit = 1000};
  for (;; q.offset += q.limit) {
    auto page = ui.api.store.ListDomains(q);
    if (!page) return Fail(page.error());
    for (const auto& d : page->items) scope.domains.insert(d.name);
    if (q.offset + q.limit >= page->total) break;
  }
  return scope;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  return lower(haystack).find(lower(needle)) != std::string::npos;
}

bool Matches(const AuditFilters& f, const service::Activity& a, const CustomerScope* scope) {
  if (!f.who.empty() && !Contains(a.who, f.who)) return false;
  if (!f.domain.empty() && !Contains(a.domain, f.domain)) return false;
  if (!f.machine.empty() && a.machine != f.machine) return false;
  if (scope) {
    return a.customer == f.customer || scope->machines.count(a.machine) ||
           scope->domains.count(a.domain);
  }
  return true;
}

std::string Subject(const service::Activity& a) {
  if (!a.domain.empty()) return Link("/ui/domains/" + UrlComponent(a.domain), a.domain);
  if (!a.machine.empty()) return Link("/ui/machines/" + UrlComponent(a.machine), a.machine);
  if (!a.customer.empty()) return Link("/ui/customers/" + UrlComponent(a.customer), a.customer);
  return "";
}

Result<std::string> FilterForm(UiContext& ui, const AuditFilters& f) {
  auto customers = CustomerSelectHtml(ui, "customer", "audit-customer", f.customer, "any customer");
  auto machines = MachineSelectHtml(ui, "machine", "audit-machine", f.machine, "any machine");
  if (!customers) return Fail(customers.error());
  if (!machines) return Fail(machines.error());
  return "<form class=\"filters\" method=\"get\" action=\"/ui/audit\"><input type=\"search\" "
         "name=\"who\" id=\"audit-who\" placeholder=\"person or token\" aria-label=\"person\" "
         "value=\"" +
         Escape(f.who) + "\">" + *customers + *machines +
         "<input type=\"search\" name=\"domain\" id=\"audit-domain\" placeholder=\"domain\" "
         "aria-label=\"domain\" value=\"" +
         Escape(f.domain) + "\"><button type=\"submit\">Filter</button></form>";
}

Result<http::Response> AuditPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  const AuditFilters f{api::QueryString(req, "who"), api::QueryString(req, "customer"),
                       api::QueryString(req, "machine"), api::QueryString(req, "domain")};
  std::optional<CustomerScope> scope;
  if (!f.customer.empty()) {
    auto s = ScopeOf(ui, f.customer);
    if (!s) return Fail(s.error());
    scope = std::move(*s);
  }
  auto form = FilterForm(ui, f);
  if (!form) return Fail(form.error());
  const TimePoint now = ui.api.clock.Now();
  std::string rows;
  std::size_t shown = 0;
  store::AuditQuery q{.limit = 1000};
  for (std::int64_t scanned = 0; scanned < kScanned && shown < kShown; scanned += q.limit) {
    auto entries = ui.api.store.ListAudit(q);
    if (!entries) return Fail(entries.error());
    for (const auto& e : *entries) {
      const auto a = service::DescribeAudit(e);
      if (shown >= kShown || !Matches(f, a, scope ? &*scope : nullptr)) continue;
      ++shown;
      rows += "<tr class=\"tone-" + std::string(service::ToneName(a.tone)) + "\"><td>" +
              WhenHtml(now, e.at) + "</td><td>" + Escape(a.who) + "</td><td>" + Escape(a.text);
      if (!a.changes.empty()) {
        rows += "<ul class=\"changes\">";
        for (const auto& c : a.changes) rows += "<li>" + Escape(c) + "</li>";
        rows += "</ul>";
      }
      rows += "</td><td>" + Subject(a) + "</td></tr>";
    }
    if (static_cast<std::int64_t>(entries->size()) < q.limit) break;
    q.before_id = entries->back().id;
  }
  std::string body =
      "<h1>Audit log</h1>" + *form +
      "<div class=\"table-wrap\"><table id=\"audit\"><thead><tr><th>when</th>"
      "<th>who</th><th>what</th><th>about</th></tr></thead><tbody>" +
      (rows.empty() ? "<tr><td colspan=\"4\" class=\"muted\">No entry matches.</td></tr>" : rows) +
      "</tbody></table></div><p class=\"hint\">The newest " + std::to_string(kShown) +
      " matches among the latest " + std::to_string(kScanned) +
      " entries; certfleet audit --since reaches further back.</p>";
  return HtmlResponse(Page(&viewer, "Audit log", "audit", body));
}

}  // namespace

void AddAuditRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/audit", AuditPage);
}

}  // namespace certfleet::hub::ui
