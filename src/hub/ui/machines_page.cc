// GET /ui/machines (sortable, searchable list with each agent's last contact) and
// GET /ui/machines/{name} (the machine page: its agent's version and last contact, what it
// serves with each domain's state, failed deployments with nginx's words, its reports).
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/service/domain_state.h"
#include "hub/service/fleet_status.h"
#include "hub/service/lookup.h"
#include "hub/ui/form_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/list_sort.h"
#include "hub/ui/redeploy_action.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string LastSeen(const store::Machine& m, TimePoint now) {
  if (!m.agent_last_seen) return "<span class=\"past\">never</span>";
  const std::string when = WhenHtml(now, m.agent_last_seen);
  return now - *m.agent_last_seen > service::kAgentSilentAfter
             ? "<span class=\"past\">" + when + " (silent)</span>"
             : when;
}

Result<std::string> Row(UiContext& ui, const store::Machine& m, api::NameCache& names,
                        TimePoint now) {
  auto domains = ui.api.store.ListDomains({.machine_id = m.id, .limit = 1});
  if (!domains) return Fail(domains.error());
  return "<tr><td>" + Link("/ui/machines/" + UrlComponent(m.name), m.name) +
         "</td><td class=\"optional\">" + Escape(m.address) + "</td><td class=\"optional\">" +
         (m.customer_id ? Escape(names.Customer(*m.customer_id)) : "") + "</td><td>" +
         LastSeen(m, now) + "</td><td class=\"optional\">" + Escape(m.agent_version) + "</td><td>" +
         Link(UrlWithQuery("/ui/domains", {{"machine", m.name}}), std::to_string(domains->total)) +
         "</td></tr>";
}

bool Before(const store::Machine& a, const store::Machine& b, const std::string& sort,
            api::NameCache& names) {
  if (sort == "seen" && a.agent_last_seen != b.agent_last_seen) {
    return a.agent_last_seen < b.agent_last_seen;  // never seen first
  }
  if (sort == "address" && a.address != b.address) return a.address < b.address;
  if (sort == "version" && a.agent_version != b.agent_version) {
    return a.agent_version < b.agent_version;
  }
  if (sort == "customer") {
    const auto ca = a.customer_id ? names.Customer(*a.customer_id) : "";
    const auto cb = b.customer_id ? names.Customer(*b.customer_id) : "";
    if (ca != cb) return ca < cb;
  }
  return a.name < b.name;
}

Result<http::Response> MachinesPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  ListView view{"/ui/machines", api::QueryString(req, "q"), api::QueryString(req, "sort"),
                api::QueryString(req, "order") == "desc",
                api::QueryInt(req, "page", 1, 1, 1'000'000).value_or(1)};
  auto machines = service::AllMachines(ui.api.store, view.q);
  if (!machines) return Fail(machines.error());
  api::NameCache names(ui.api.store);
  const auto rows = view.Slice(
      *machines, [&](const auto& a, const auto& b) { return Before(a, b, view.sort, names); });
  const TimePoint now = ui.api.clock.Now();
  std::string body = "<h1>Machines</h1>";
  if (auto deleted = req.QueryParam("deleted")) {
    body += NoticeHtml("Deleted machine " + std::string(*deleted) + ".");
  }
  if (viewer.can_manage()) {
    body +=
        "<div class=\"actions\"><a class=\"button\" id=\"add-machine\" "
        "href=\"/ui/machines/new\">Add machine</a></div>";
  }
  body +=
      "<form class=\"filters\" method=\"get\" action=\"/ui/machines\"><input type=\"search\" "
      "name=\"q\" aria-label=\"search\" placeholder=\"search names\" value=\"" +
      Escape(view.q) + "\"><button type=\"submit\">Search</button></form>" +
      view.Pager(machines->size(), "machine(s)") +
      "<div class=\"table-wrap\"><table id=\"machines\"><thead><tr>" +
      view.Header("name", "machine") + view.Header("address", "address", "optional") +
      view.Header("customer", "customer", "optional") + view.Header("seen", "agent last seen") +
      view.Header("version", "agent version", "optional") + "<th>domains</th></tr></thead><tbody>";
  for (const auto& m : rows) {
    auto row = Row(ui, m, names, now);
    if (!row) return Fail(row.error());
    body += *row;
  }
  if (rows.empty()) body += "<tr><td colspan=\"6\" class=\"muted\">No machine matches.</td></tr>";
  body += "</tbody></table></div>";
  return HtmlResponse(Page(&viewer, "Machines", "machines", body));
}

Result<std::string> Serves(UiContext& ui, const store::Machine& m, TimePoint now) {
  auto page = ui.api.store.ListDomains({.machine_id = m.id, .limit = 100});
  if (!page) return Fail(page.error());
  if (page->items.empty()) return std::string("<p class=\"muted\">No domain is hosted here.</p>");
  std::string out =
      "<div class=\"table-wrap\"><table id=\"machine-domains\"><thead><tr><th>domain</th>"
      "<th>state</th><th>expires</th><th>problems</th></tr></thead><tbody>";
  for (const auto& d : page->items) {
    auto state = service::LoadDomainState(ui.api.store, d, now);
    if (!state) return Fail(state.error());
    std::string problems;
    for (const auto& p : state->problems) problems += (problems.empty() ? "" : "; ") + p;
    out += "<tr><td>" + Link("/ui/domains/" + UrlComponent(d.name), d.name) + "</td><td>" +
           StateBadgeHtml(*state) + "</td><td>" + ExpiryHtml(now, d.current_not_after) +
           "</td><td class=\"error\">" + Escape(problems) + "</td></tr>";
  }
  out += "</tbody></table></div>";
  if (page->total > 100) {
    out += "<p>" +
           Link(UrlWithQuery("/ui/domains", {{"machine", m.name}}),
                "all " + std::to_string(page->total) + " domains") +
           "</p>";
  }
  return out;
}

Result<std::string> Reports(UiContext& ui, const store::Machine& m, TimePoint now) {
  auto rows = ui.api.store.ListMachineDeployments(m.id, 200);
  if (!rows) return Fail(rows.error());
  api::NameCache names(ui.api.store);
  std::string out =
      "<div class=\"table-wrap\"><table id=\"machine-deployments\"><thead><tr><th>domain</th>"
      "<th>state</th><th>reported</th><th class=\"optional\">SHA-256 served</th><th>error</th>"
      "</tr></thead><tbody>";
  for (const auto& r : *rows) {
    const std::string domain = names.Domain(r.domain_id);
    out += "<tr><td>" + Link("/ui/domains/" + UrlComponent(domain), domain) + "</td><td>" +
           BadgeHtml(store::DeploymentStatusName(r.status)) + "</td><td>" +
           WhenHtml(now, r.reported_at) + "</td><td class=\"mono optional\">" +
           Escape(r.sha256.substr(0, 16)) + "</td><td class=\"error\">" + Escape(r.error) +
           "</td></tr>";
  }
  if (rows->empty()) {
    out += "<tr><td colspan=\"5\" class=\"muted\">The agent has reported nothing yet.</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string Buttons(const Viewer& viewer, const store::Machine& m) {
  if (!viewer.can_manage()) return "";
  const std::string base = "/ui/machines/" + UrlComponent(m.name);
  std::string out =
      "<div class=\"actions\"><a class=\"button secondary\" id=\"edit-machine\" href=\"" +
      Escape(base + "/edit") + "\">Edit</a>";
  if (RoleAllows(viewer.principal().role, Action::kManageTokens)) {
    out += "<a class=\"button secondary\" id=\"agent-token\" href=\"" +
           Escape(UrlWithQuery("/ui/tokens/new", {{"role", "agent"}, {"machine", m.name}})) +
           "\">New agent token…</a>";
  }
  return out + "<a class=\"button danger\" id=\"delete-machine\" href=\"" +
         Escape(base + "/delete") + "\">Delete…</a></div>";
}

Result<http::Response> MachinePage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  auto m = api::FindMachine(ui.api, req.PathParam("name"));
  if (!m) return Fail(m.error());
  const TimePoint now = ui.api.clock.Now();
  auto serves = Serves(ui, *m, now);
  auto reports = Reports(ui, *m, now);
  if (auto s = api::FirstError(serves, reports); !s) return Fail(s.error());
  api::NameCache names(ui.api.store);
  const std::string customer =
      m->customer_id ? Link("/ui/customers/" + UrlComponent(names.Customer(*m->customer_id)),
                            names.Customer(*m->customer_id))
                     : "—";
  std::string body = "<p><a href=\"/ui/machines\">‹ Machines</a></p><h1>" + Escape(m->name) +
                     "</h1>" + NoticeHtml(req.QueryParam("saved") ? "Saved." : "") +
                     Buttons(viewer, *m) + MachineRedeployButton(viewer, m->name) +
                     "<div class=\"card\"><dl class=\"facts\"><dt>address</dt><dd>" +
                     Escape(m->address) + "</dd><dt>customer</dt><dd>" + customer +
                     "</dd><dt>agent last seen</dt><dd id=\"agent-last-seen\">" +
                     LastSeen(*m, now) + "</dd><dt>agent version</dt><dd>" +
                     (m->agent_version.empty() ? "—" : Escape(m->agent_version)) +
                     "</dd></dl></div><h2>What it serves</h2>" + *serves +
                     "<h2>Deployment reports</h2>" + *reports;
  return HtmlResponse(Page(&viewer, m->name, "machines", body));
}

}  // namespace

void AddMachineRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/machines", MachinesPage);
  AddPage(router, ui, "/ui/machines/{name}", MachinePage);
}

}  // namespace certfleet::hub::ui
