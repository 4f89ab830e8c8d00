// The web UI's view of discovery (issue 19):
//   GET  /ui/discovered                 names found on the fleet, soonest expiry first, with
//                                       filters (unmanaged, conflicts, expiring in 30 days)
//   GET  /ui/discovered/{name}          what each machine has for the name + the adopt form
//   POST /ui/discovered/{name}/adopt    adopt it (service: hub/discovery/inventory_service.h);
//                                       the answer shows the nginx lines to change
#include "hub/discovery/inventory_service.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

using discovery::NameGroup;

std::string StateHtml(const NameGroup& g) {
  std::string out = BadgeHtml(discovery::NameStateName(g.state));
  if (g.conflict) out += " " + BadgeHtml("conflict");
  return out;
}

std::string MachinesHtml(const NameGroup& g) {
  std::string out;
  for (const auto& m : g.machines) {
    if (!out.empty()) out += ", ";
    out += Link("/ui/machines/" + UrlComponent(m.machine), m.machine);
  }
  return out;
}

std::string Filters(std::string_view current) {
  std::string out = "<p class=\"filters\">";
  const std::pair<std::string_view, std::string_view> filters[] = {
      {"", "all"},
      {"unmanaged", "unmanaged"},
      {"conflicts", "conflicts"},
      {"expiring", "expiring in 30 days"}};
  for (const auto& [key, label] : filters) {
    const std::string href =
        key.empty() ? "/ui/discovered" : "/ui/discovered?show=" + std::string(key);
    out += key == current ? "<strong>" + Escape(label) + "</strong> " : Link(href, label) + " ";
  }
  return out + "</p>";
}

Result<http::Response> ListPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  const std::string show(req.QueryParam("show").value_or(""));
  discovery::FleetQuery q;
  if (show == "unmanaged") q.state = "unmanaged";
  if (show == "conflicts") q.conflicts_only = true;
  if (show == "expiring") q.expiring_within_days = 30;
  auto s = api::Services(ui.api);
  auto groups = discovery::FleetView(s, ui.api.store, q);
  if (!groups) return Fail(groups.error());
  const TimePoint now = ui.api.clock.Now();
  std::string body =
      "<h1>Discovered certificates</h1><p class=\"hint\">What the agents found in nginx on their "
      "hosts (certfleet-agent discover), by name.</p>" +
      Filters(show) +
      "<div class=\"table-wrap\"><table id=\"discovered\"><thead><tr><th>name</th><th>state</th>"
      "<th>expires</th><th>machines</th><th class=\"optional\">domain</th></tr></thead><tbody>";
  for (const NameGroup& g : *groups) {
    body += "<tr><td>" + Link("/ui/discovered/" + UrlComponent(g.name), g.name) + "</td><td>" +
            StateHtml(g) + "</td><td>" + ExpiryHtml(now, g.not_after) + "</td><td>" +
            MachinesHtml(g) + "</td><td class=\"optional\">" +
            (g.domain.empty() ? "" : Link("/ui/domains/" + UrlComponent(g.domain), g.domain)) +
            "</td></tr>";
  }
  if (groups->empty()) {
    body +=
        "<tr><td colspan=\"5\" class=\"muted\">Nothing discovered yet: run certfleet-agent "
        "discover on a host, or set [discovery] enabled = true.</td></tr>";
  }
  body += "</tbody></table></div>";
  return HtmlResponse(Page(&viewer, "Discovered", "discovered", body));
}

std::string EntriesHtml(const std::vector<store::InventoryEntry>& entries, TimePoint now) {
  std::string out;
  for (const auto& e : entries) {
    out += "<tr><td>" + Escape(e.origin) + "</td><td class=\"mono\">" + Escape(e.path) +
           (e.config_file.empty() ? ""
                                  : "<br><span class=\"muted\">" + Escape(e.config_file) +
                                        " line " + std::to_string(e.line) + "</span>") +
           "</td><td>" + BadgeHtml(e.status) + (e.detail.empty() ? "" : " " + Escape(e.detail)) +
           "</td><td>" + ExpiryHtml(now, e.not_after) + "</td><td class=\"mono optional\">" +
           Escape(e.sha256.substr(0, 16)) + "</td><td class=\"optional\">" + Escape(e.issuer) +
           "</td></tr>";
  }
  return out;
}

std::string AdoptForm(UiContext& ui, const Viewer& viewer, const NameGroup& g) {
  if (!viewer.can_manage() || g.state != discovery::NameState::kUnmanaged) return "";
  std::string out =
      "<h2>Adopt</h2><form class=\"card\" id=\"adopt-form\" method=\"post\" action=\"" +
      Escape("/ui/discovered/" + UrlComponent(g.name) + "/adopt") + "\">" +
      CsrfField(viewer.session) +
      "<label for=\"issuer\">Issuer</label><select id=\"issuer\" name=\"issuer\">"
      "<option value=\"manual\">manual: take over the certificate found</option>";
  for (const auto& issuer : ui.api.config.issuers) {
    out += "<option value=\"" + Escape(issuer.name) + "\">" + Escape(issuer.name) +
           ": a new certificate from this CA</option>";
  }
  return out +
         "</select><label><input type=\"checkbox\" id=\"reload-free\" name=\"reload_free\" "
         "value=\"1\"> reload-free lines (<code>$certfleet_bundle</code>: renewals need no "
         "nginx reload)</label><p class=\"hint\">Creates the domain on the machines that serve "
         "it. The answer lists the nginx lines to change.</p><div class=\"actions\"><button "
         "type=\"submit\" id=\"adopt-submit\">Adopt</button></div></form>";
}

Result<NameGroup> FindGroup(UiContext& ui, const std::string& name) {
  auto s = api::Services(ui.api);
  return discovery::NameView(s, ui.api.store, name);
}

Result<http::Response> NamePage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  auto g = FindGroup(ui, std::string(req.PathParam("name")));
  if (!g) return Fail(g.error());
  const TimePoint now = ui.api.clock.Now();
  std::string body =
      "<p><a href=\"/ui/discovered\">‹ Discovered</a></p><h1>" + Escape(g->name) + "</h1><p>" +
      StateHtml(*g) + " expires " + ExpiryHtml(now, g->not_after) +
      (g->domain.empty()
           ? ""
           : " · domain " + Link("/ui/domains/" + UrlComponent(g->domain), g->domain)) +
      "</p>";
  for (const auto& p : g->problems) body += "<p class=\"error\">" + Escape(p) + "</p>";
  for (const auto& m : g->machines) {
    body += "<h2>" + Escape(m.machine) +
            "</h2><div class=\"table-wrap\"><table class=\"entries\"><thead><tr><th>seen</th>"
            "<th>file / address</th><th>status</th><th>expires</th><th class=\"optional\">"
            "SHA-256</th><th class=\"optional\">issuer</th></tr></thead><tbody>" +
            EntriesHtml(m.files, now) + EntriesHtml(m.served, now) + "</tbody></table></div>";
  }
  body += AdoptForm(ui, viewer, *g);
  return HtmlResponse(Page(&viewer, g->name, "discovered", body));
}

Result<http::Response> Adopt(UiContext& ui, const http::Request& req, const Viewer& viewer,
                             const FormValues& form) {
  const std::string name(req.PathParam("name"));
  std::string issuer = form.Get("issuer");
  if (issuer == "manual") issuer.clear();
  auto s = api::Services(ui.api);
  const auto lines = form.Get("reload_free").empty() ? discovery::SiteLines::kAgentFiles
                                                     : discovery::SiteLines::kReloadFree;
  auto outcome = discovery::Adopt(s, ui.api.store, viewer.principal().ToActor(),
                                  {name, issuer, "", /*apply=*/true, lines});
  if (!outcome) return Fail(outcome.error());
  std::string body =
      "<p>" +
      Link("/ui/domains/" + UrlComponent(outcome->plan.name), "› domain " + outcome->plan.name) +
      "</p><h1>Adopted " + Escape(outcome->plan.name) + "</h1>";
  if (outcome->upload) {
    body +=
        "<p>The agent of the machine that holds the certificate uploads it at its next "
        "discovery or upload poll.</p>";
  }
  for (const auto& note : outcome->plan.notes) body += "<p class=\"note\">" + Escape(note) + "</p>";
  body += "<h2>Change these nginx lines</h2><pre id=\"nginx-changes\">" +
          Escape(outcome->nginx_changes) + "</pre>";
  return HtmlResponse(Page(&viewer, "Adopted " + outcome->plan.name, "discovered", body));
}

}  // namespace

void AddDiscoveredRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/discovered", ListPage);
  AddPage(router, ui, "/ui/discovered/{name}", NamePage);
  AddAction(router, ui, "/ui/discovered/{name}/adopt", Adopt);
}

}  // namespace certfleet::hub::ui
