#include "hub/ui/redeploy_action.h"

#include "hub/service/redeploy.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string Button(const Viewer& viewer, const std::string& action, const std::string& id,
                   const std::string& label) {
  if (!viewer.can_manage()) return "";
  return "<form method=\"post\" class=\"inline\" action=\"" + Escape(action) + "\" hx-post=\"" +
         Escape(action) + "\" hx-target=\"#redeploy-result\" hx-swap=\"outerHTML\">" +
         CsrfField(viewer.session) + "<button type=\"submit\" class=\"secondary\" id=\"" + id +
         "\" title=\"Deploys the certificate the hub already has again; orders nothing from "
         "the CA\">" +
         label + "</button></form><span id=\"redeploy-result\"></span>";
}

Result<http::Response> Answer(const http::Request& req, const service::RedeployResult& r,
                              const std::string& back) {
  if (!IsHtmx(req)) return Redirect(back);
  std::string machines;
  for (size_t i = 0; i < r.machines.size(); ++i) machines += (i == 0 ? "" : ", ") + r.machines[i];
  return HtmlResponse("<span id=\"redeploy-result\" class=\"notice\">Redeploy of " +
                      Escape(r.domain.empty() ? "every certificate" : r.domain) + " requested on " +
                      Escape(machines) +
                      ": the agents deploy the current certificate again (no new order).</span>");
}

Result<http::Response> RedeployMachine(UiContext& ui, const http::Request& req,
                                       const Viewer& viewer, const FormValues&) {
  auto s = api::Services(ui.api);
  const std::string machine(req.PathParam("name"));
  auto r = service::RequestRedeploy(s, viewer.principal().ToActor(), {machine, ""});
  if (!r) return Fail(r.error());
  return Answer(req, *r, "/ui/machines/" + UrlComponent(r->machines.front()));
}

Result<http::Response> RedeployDomain(UiContext& ui, const http::Request& req, const Viewer& viewer,
                                      const FormValues&) {
  auto s = api::Services(ui.api);
  const std::string domain(req.PathParam("name"));
  auto r = service::RequestRedeploy(s, viewer.principal().ToActor(), {"", domain});
  if (!r) return Fail(r.error());
  return Answer(req, *r, "/ui/domains/" + UrlComponent(r->domain));
}

}  // namespace

std::string MachineRedeployButton(const Viewer& viewer, const std::string& machine) {
  return Button(viewer, "/ui/machines/" + UrlComponent(machine) + "/redeploy", "redeploy-machine",
                "Redeploy certificates");
}

std::string DomainRedeployButton(const Viewer& viewer, const std::string& domain) {
  return Button(viewer, "/ui/domains/" + UrlComponent(domain) + "/redeploy", "redeploy-domain",
                "Redeploy everywhere");
}

void AddRedeployRoutes(http::Router& router, const UiPtr& ui) {
  AddAction(router, ui, "/ui/machines/{name}/redeploy", RedeployMachine);
  AddAction(router, ui, "/ui/domains/{name}/redeploy", RedeployDomain);
}

}  // namespace certfleet::hub::ui
