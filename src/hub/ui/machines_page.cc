// GET /ui/machines (agent last seen, domains hosted) and GET /ui/machines/{name} (the
// certificates its agent reported, newest first).
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/ui/dashboard_data.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string LastSeen(const store::Machine& m, TimePoint now) {
  if (!m.agent_last_seen) return "<span class=\"past\">never</span>";
  const std::string when = WhenHtml(now, m.agent_last_seen);
  return now - *m.agent_last_seen > kAgentSilentAfter ? "<span class=\"past\">" + when + "</span>"
                                                      : when;
}

Result<std::string> Row(UiContext& ui, const store::Machine& m, api::NameCache& names,
                        TimePoint now) {
  store::DomainQuery q;
  q.machine_id = m.id;
  q.limit = 1;
  auto domains = ui.api.store.ListDomains(q);
  if (!domains) return Fail(domains.error());
  return "<tr><td>" + Link("/ui/machines/" + UrlComponent(m.name), m.name) +
         "</td><td class=\"optional\">" + Escape(m.address) + "</td><td class=\"optional\">" +
         (m.customer_id ? Escape(names.Customer(*m.customer_id)) : "") + "</td><td>" +
         LastSeen(m, now) + "</td><td class=\"optional\">" + Escape(m.agent_version) + "</td><td>" +
         Link(UrlWithQuery("/ui/domains", {{"machine", m.name}}), std::to_string(domains->total)) +
         "</td></tr>";
}

Result<http::Response> MachinesPage(UiContext& ui, const http::Request&, const Viewer& viewer) {
  auto machines = ui.api.store.ListMachines({.limit = 1000});
  if (!machines) return Fail(machines.error());
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  std::string body =
      "<h1>Machines</h1><div class=\"table-wrap\"><table id=\"machines\"><thead><tr>"
      "<th>machine</th><th class=\"optional\">address</th><th class=\"optional\">customer</th>"
      "<th>agent last seen</th><th class=\"optional\">agent version</th><th>domains</th>"
      "</tr></thead><tbody>";
  for (const auto& m : machines->items) {
    auto row = Row(ui, m, names, now);
    if (!row) return Fail(row.error());
    body += *row;
  }
  if (machines->items.empty())
    body += "<tr><td colspan=\"6\" class=\"muted\">No machines yet.</td></tr>";
  body += "</tbody></table></div>";
  return HtmlResponse(Page(&viewer, "Machines", "machines", body));
}

Result<http::Response> MachinePage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  auto m = api::FindMachine(ui.api, req.PathParam("name"));
  if (!m) return Fail(m.error());
  auto rows = ui.api.store.ListMachineDeployments(m->id, 200);
  if (!rows) return Fail(rows.error());
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  std::string body =
      "<p><a href=\"/ui/machines\">‹ Machines</a></p><h1>" + Escape(m->name) +
      "</h1><div class=\"card\"><dl class=\"facts\"><dt>address</dt><dd>" + Escape(m->address) +
      "</dd><dt>agent last seen</dt><dd>" + LastSeen(*m, now) + "</dd><dt>agent version</dt><dd>" +
      Escape(m->agent_version) + "</dd><dt>domains</dt><dd>" +
      Link(UrlWithQuery("/ui/domains", {{"machine", m->name}}), "domains hosted here") +
      "</dd></dl></div><h2>Deployed certificates</h2>";
  body +=
      "<div class=\"table-wrap\"><table "
      "id=\"machine-deployments\"><thead><tr><th>domain</th><th>state</th>"
      "<th>reported</th><th class=\"optional\">SHA-256 "
      "served</th><th>error</th></tr></thead><tbody>";
  for (const auto& r : *rows) {
    const std::string domain = names.Domain(r.domain_id);
    body += "<tr><td>" + Link("/ui/domains/" + UrlComponent(domain), domain) + "</td><td>" +
            BadgeHtml(store::DeploymentStatusName(r.status)) + "</td><td>" +
            WhenHtml(now, r.reported_at) + "</td><td class=\"mono optional\">" +
            Escape(r.sha256.substr(0, 16)) + "</td><td class=\"error\">" + Escape(r.error) +
            "</td></tr>";
  }
  if (rows->empty())
    body += "<tr><td colspan=\"5\" class=\"muted\">The agent has reported nothing yet.</td></tr>";
  body += "</tbody></table></div>";
  return HtmlResponse(Page(&viewer, m->name, "machines", body));
}

}  // namespace

void AddMachineRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/machines", MachinesPage);
  AddPage(router, ui, "/ui/machines/{name}", MachinePage);
}

}  // namespace certfleet::hub::ui
