// The DNS-01 section of the domain page (issue 15): which challenge answers each name, the
// CNAME the customer must create for names answered by delegation, the last delegation
// check with its message, a "Check DNS delegation" button (POST …/dns01/check, the same
// check as POST /api/v1/domains/{name}/dns01/check) and the domain's challenge choice
// (POST …/dns01/challenge).
#include "hub/api/lookup.h"
#include "hub/dns01_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string Base(const std::string& domain) { return "/ui/domains/" + UrlComponent(domain); }

std::string PlanRows(const Dns01View& v) {
  std::string rows;
  for (const issuance::NamePlan& entry : v.plan) {
    rows += "<tr><td>" + Escape(entry.name) + "</td><td>" +
            Escape(issuance::ChallengeWayName(entry.way)) + "</td></tr>";
  }
  return "<table><thead><tr><th>Name</th><th>Challenge</th></tr></thead><tbody>" + rows +
         "</tbody></table>";
}

std::string DelegationHtml(const Dns01View& v, const std::string& note) {
  if (!v.delegated) return "";
  std::string records;
  for (const solver::DelegationRecord& r : v.records) {
    records += "<tr><td><code>" + Escape(r.name) + ".</code></td><td>CNAME</td><td><code>" +
               Escape(r.target) + ".</code></td></tr>";
  }
  std::string check = "<p id=\"dns01-check\">Not checked yet.</p>";
  if (!v.check_state.empty()) {
    check = "<p id=\"dns01-check\" class=\"" +
            std::string(v.check_state == "ok" ? "ok" : "problem") + "\"><strong>" +
            Escape(v.check_state == "ok" ? "Delegation in place" : "Delegation problem") +
            "</strong> (" + Escape(TimeText(v.checked_at)) + ")" +
            (v.check_message.empty() ? "" : ": " + Escape(v.check_message)) + "</p>";
  }
  return "<h3>CNAME to create once in the customer's DNS</h3><table id=\"dns01-records\">"
         "<thead><tr><th>Name</th><th>Type</th><th>Target</th></tr></thead><tbody>" +
         records + "</tbody></table>" +
         (note.empty() ? "" : "<p class=\"notice\">" + Escape(note) + "</p>") + check;
}

std::string Controls(const Viewer& viewer, const Dns01View& v) {
  if (!viewer.can_manage()) return "";
  const std::string base = Base(v.domain) + "/dns01";
  std::string out;
  if (v.delegated) {
    out += "<form method=\"post\" action=\"" + Escape(base + "/check") + "\" hx-post=\"" +
           Escape(base + "/check") + "\" hx-target=\"#dns01\" hx-swap=\"outerHTML\">" +
           CsrfField(viewer.session) +
           "<button type=\"submit\" id=\"check-delegation\">Check DNS delegation</button></form>";
  }
  out += "<form method=\"post\" action=\"" + Escape(base + "/challenge") + "\">" +
         CsrfField(viewer.session) + "<label for=\"challenge\">Challenge</label>" +
         "<select id=\"challenge\" name=\"challenge\">";
  for (const auto& [value, text] : std::initializer_list<std::pair<std::string, std::string>>{
           {"", "The issuer's order"}, {"http-01", "HTTP-01 first"}, {"dns-01", "DNS-01 only"}}) {
    out += "<option value=\"" + Escape(value) + "\"" + (value == v.challenge ? " selected" : "") +
           ">" + Escape(text) + "</option>";
  }
  return out + "</select><button type=\"submit\" id=\"set-challenge\">Save</button></form>";
}

std::string SectionHtml(const Viewer& viewer, const Dns01View& v, const std::string& note) {
  std::string body = "<section id=\"dns01\"><h2>Challenges</h2>";
  if (!v.plan_error.empty()) body += "<p class=\"problem\">" + Escape(v.plan_error) + "</p>";
  return body + PlanRows(v) + DelegationHtml(v, note) + Controls(viewer, v) + "</section>";
}

Result<http::Response> CheckAction(UiContext& ui, const http::Request& req, const Viewer& viewer,
                                   const FormValues&) {
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  auto outcome = CheckDomainDelegation(ui.api.store, ui.api.config, ui.api.dns01, *d,
                                       viewer.principal().ToActor(), ui.api.clock);
  if (!outcome) return Fail(outcome.error());
  if (outcome->woken) ui.api.wake_issuance();
  if (!IsHtmx(req)) return Redirect(Base(d->name));
  auto view = BuildDns01View(ui.api.store, ui.api.config, ui.api.dns01, *d);
  if (!view) return Fail(view.error());
  return HtmlResponse(SectionHtml(
      viewer, *view, outcome->woken ? "The delegation is in place: issuance was requested." : ""));
}

Result<http::Response> ChallengeAction(UiContext& ui, const http::Request& req, const Viewer&,
                                       const FormValues& form) {
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  if (auto set = SetDomainChallenge(ui.api.store, ui.api.config, *d, form.Get("challenge")); !set)
    return Fail(set.error());
  return Redirect(Base(d->name));
}

}  // namespace

std::string DomainDns01Html(UiContext& ui, const Viewer& viewer, const store::Domain& d) {
  if (d.issuer == store::kManualIssuer) return "";
  auto view = BuildDns01View(ui.api.store, ui.api.config, ui.api.dns01, d);
  if (!view)
    return "<section id=\"dns01\"><p class=\"problem\">" + Escape(view.error().message) +
           "</p></section>";
  return SectionHtml(viewer, *view, "");
}

void AddDomainDns01Routes(http::Router& router, const UiPtr& ui) {
  AddAction(router, ui, "/ui/domains/{name}/dns01/check", CheckAction);
  AddAction(router, ui, "/ui/domains/{name}/dns01/challenge", ChallengeAction);
}

}  // namespace certfleet::hub::ui
