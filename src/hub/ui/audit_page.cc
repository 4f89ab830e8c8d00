// GET /ui/audit: who changed what, newest first, in words (service::DescribeAudit), with the
// old → new values of changes; filtered by person, customer (its own record, its machines
// and its domains), machine or domain (service::SearchAudit, as GET /api/v1/audit).
#include "hub/api/json_body.h"
#include "hub/api/lookup.h"
#include "hub/auth.h"
#include "hub/service/activity.h"
#include "hub/service/audit_search.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::int64_t kShown = 200;

struct AuditFilters {
  std::string who, customer, machine, domain;
};

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
         Escape(f.who) + "\">" + HiddenLabelHtml("audit-customer", "customer") + *customers +
         HiddenLabelHtml("audit-machine", "machine") + *machines +
         "<input type=\"search\" name=\"domain\" id=\"audit-domain\" placeholder=\"domain\" "
         "aria-label=\"domain\" value=\"" +
         Escape(f.domain) + "\"><button type=\"submit\">Filter</button></form>";
}

Result<http::Response> AuditPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  const AuditFilters f{api::QueryString(req, "who"), api::QueryString(req, "customer"),
                       api::QueryString(req, "machine"), api::QueryString(req, "domain")};
  auto form = FilterForm(ui, f);
  if (!form) return Fail(form.error());
  service::AuditFilter filter;
  filter.actor = f.who;
  filter.customer = f.customer;
  filter.machine = f.machine;
  filter.domain = f.domain;
  filter.hide_tokens = !MaySeeTokenLifecycle(viewer.principal().role);
  auto page = service::SearchAudit(ui.api.store, filter, kShown, std::nullopt);
  if (!page) return Fail(page.error());
  const TimePoint now = ui.api.clock.Now();
  std::string rows;
  for (const auto& [e, a] : page->hits) {
    rows += "<tr class=\"tone-" + std::string(service::ToneName(a.tone)) + "\"><td>" +
            WhenHtml(now, e.at) + "</td><td>" + Escape(a.who) + "</td><td>" + Escape(a.text);
    if (!a.changes.empty()) {
      rows += "<ul class=\"changes\">";
      for (const auto& c : a.changes) rows += "<li>" + Escape(c) + "</li>";
      rows += "</ul>";
    }
    rows += "</td><td class=\"optional\">" + Subject(a) + "</td></tr>";
  }
  std::string body =
      "<h1>Audit log</h1>" + *form +
      "<div class=\"table-wrap\"><table id=\"audit\"><thead><tr><th>when</th><th>who</th>"
      "<th>what</th><th class=\"optional\">about</th></tr></thead><tbody>" +
      (rows.empty() ? "<tr><td colspan=\"4\" class=\"muted\">No entry matches.</td></tr>" : rows) +
      "</tbody></table></div>";
  if (page->next_before) {
    body += "<p class=\"hint\">The newest " + std::to_string(page->hits.size()) +
            " matches; certfleet audit --since reaches further back.</p>";
  }
  return HtmlResponse(Page(&viewer, "Audit log", "audit", body));
}

}  // namespace

void AddAuditRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/audit", AuditPage);
}

}  // namespace certfleet::hub::ui
