// GET /ui/domains/{name} (the domain page), GET …/details (its htmx refresh) and
// POST …/issue, the "Issue / renew now" button (same effect as POST /api/v1/domains/{name}/issue).
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/service/domains.h"
#include "hub/ui/domain_view.h"
#include "hub/ui/form_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/redeploy_action.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string Buttons(const Viewer& viewer, const store::Domain& d) {
  if (!viewer.can_manage()) return "";
  const std::string base = "/ui/domains/" + UrlComponent(d.name);
  std::string out = "<div class=\"actions\">";
  if (d.issuer == store::kManualIssuer) {
    if (!RoleAllows(viewer.principal().role, Action::kManageKeys)) {
      out += "<span class=\"hint\">An admin uploads its certificates.</span>";
    } else {
      out += "<a class=\"button\" id=\"upload-certificate\" href=\"" + Escape(base + "/upload") +
             "\">Upload certificate</a>";
    }
  } else {
    out += "<form method=\"post\" action=\"" + Escape(base + "/issue") + "\" hx-post=\"" +
           Escape(base + "/issue") + "\" hx-target=\"#domain-details\" hx-swap=\"outerHTML\">" +
           CsrfField(viewer.session) +
           "<button type=\"submit\" id=\"issue-now\">Issue / renew now</button></form>";
  }
  out += "<a class=\"button secondary\" id=\"edit-domain\" href=\"" + Escape(base + "/edit") +
         "\">Edit</a><a class=\"button danger\" id=\"delete-domain\" href=\"" +
         Escape(base + "/delete") + "\">Delete…</a>";
  out += DomainRedeployButton(viewer, d.name);
  return out + "</div>";
}

Result<http::Response> DomainPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  auto details = DomainDetailsHtml(ui, *d, req.QueryParam("saved") ? "Saved." : "");
  if (!details) return Fail(details.error());
  const std::string body = "<p><a href=\"/ui/domains\">‹ Domains</a></p><h1>" + Escape(d->name) +
                           "</h1>" + Buttons(viewer, *d) + *details +
                           DomainDns01Html(ui, viewer, *d);
  return HtmlResponse(Page(&viewer, d->name, "domains", body));
}

Result<http::Response> Details(UiContext& ui, const http::Request& req, const Viewer&) {
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  auto details = DomainDetailsHtml(ui, *d);
  if (!details) return Fail(details.error());
  return HtmlResponse(std::move(*details));
}

Result<http::Response> Issue(UiContext& ui, const http::Request& req, const Viewer& viewer,
                             const FormValues&) {
  auto s = api::Services(ui.api);
  auto requested = service::RequestIssuance(s, viewer.principal().ToActor(), req.PathParam("name"));
  if (!requested) return Fail(requested.error());
  if (!IsHtmx(req)) return Redirect("/ui/domains/" + UrlComponent(requested->name));
  auto details =
      DomainDetailsHtml(ui, *requested, "Issue requested: the hub is ordering a certificate.");
  if (!details) return Fail(details.error());
  return HtmlResponse(std::move(*details));
}

// GET …/delete: what deleting takes with it, and the button that does it.
Result<http::Response> AskDelete(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  auto certs = ui.api.store.ListCertificates(d->id, 1000);
  if (!certs) return Fail(certs.error());
  api::NameCache names(ui.api.store);
  std::string machines;
  for (auto id : d->machine_ids) machines += (machines.empty() ? "" : ", ") + names.Machine(id);
  const std::string base = "/ui/domains/" + UrlComponent(d->name);
  const std::string consequences =
      "<ul><li>its " + std::to_string(certs->size()) +
      " certificate(s), order history and deployment records are deleted;</li><li>" +
      (machines.empty() ? std::string("no machine serves it.")
                        : "the agents on " + Escape(machines) +
                              " remove it at their next sync, and nginx stops serving it.") +
      "</li><li>this cannot be undone (adding the domain again orders a new "
      "certificate).</li></ul>";
  return ConfirmPage(viewer, "domains", "Delete " + d->name + "?", consequences, base + "/delete",
                     "Delete " + d->name, base);
}

Result<http::Response> Delete(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  if (form.Get("confirm") != "yes") return AskDelete(ui, req, viewer);
  auto s = api::Services(ui.api);
  const std::string name(req.PathParam("name"));
  if (auto st = service::DeleteDomain(s, viewer.principal().ToActor(), name); !st) {
    return Fail(st.error());
  }
  return Redirect(UrlWithQuery("/ui/domains", {{"deleted", name}}));
}

}  // namespace

void AddDomainPageRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains/{name}", DomainPage);
  AddPage(router, ui, "/ui/domains/{name}/details", Details);
  AddAction(router, ui, "/ui/domains/{name}/issue", Issue);
  AddPage(router, ui, "/ui/domains/{name}/delete", AskDelete);
  AddAction(router, ui, "/ui/domains/{name}/delete", Delete);
}

}  // namespace certfleet::hub::ui
