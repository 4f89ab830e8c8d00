// Add and edit a domain: the form's values go to the service layer (hub/service/domains.h),
// the same calls POST/PATCH /api/v1/domains make, so the form shows the API's messages;
// an error appears beside the field it concerns and the typed values are kept.
#include "hub/api/lookup.h"
#include "hub/service/domains.h"
#include "hub/ui/domain_form_view.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

service::DomainInput InputOf(const DomainFormValues& v, bool creating) {
  service::DomainInput in;
  if (creating) in.name = v.name;
  in.sans = SplitNames(v.sans);
  in.customer = v.customer;
  in.machines = v.machines;
  in.issuer = v.issuer;
  in.key_type = v.key_type;
  in.profile = v.profile;
  if (!creating) in.version = v.version;
  return in;
}

Result<http::Response> ShowForm(UiContext& ui, const Viewer& viewer, const DomainFormValues& v,
                                const FieldErrors& errors, bool editing) {
  auto form = DomainFormHtml(ui, viewer, v, errors, editing);
  if (!form) return Fail(form.error());
  const std::string title = editing ? "Edit " + v.name : "Add domain";
  const std::string back = editing ? "/ui/domains/" + UrlComponent(v.name) : "/ui/domains";
  const std::string body = "<p>" + Link(back, editing ? "‹ " + v.name : "‹ Domains") + "</p><h1>" +
                           Escape(title) + "</h1>" + *form;
  return HtmlResponse(Page(&viewer, title, "domains", body), errors.empty() ? 200 : 422);
}

Result<http::Response> NewForm(UiContext& ui, const http::Request&, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  DomainFormValues v;
  if (!ui.api.config.issuers.empty()) v.issuer = ui.api.config.issuers.front().name;
  return ShowForm(ui, viewer, v, {}, false);
}

Result<http::Response> Create(UiContext& ui, const http::Request&, const Viewer& viewer,
                              const FormValues& form) {
  const DomainFormValues v = FormValuesOf(form);
  auto s = api::Services(ui.api);
  auto created = service::CreateDomain(s, viewer.principal().ToActor(), InputOf(v, true));
  if (!created) {
    FieldErrors errors;
    AddFieldError(errors, created.error());
    return ShowForm(ui, viewer, v, errors, false);
  }
  return Redirect("/ui/domains/" + UrlComponent(created->name) + "?saved=1");
}

Result<http::Response> EditForm(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  return ShowForm(ui, viewer, FormValuesOf(*d, ui), {}, true);
}

Result<http::Response> Update(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  auto before = api::FindDomain(ui.api, req.PathParam("name"));
  if (!before) return Fail(before.error());
  DomainFormValues v = FormValuesOf(form);
  v.name = before->name;
  auto s = api::Services(ui.api);
  auto updated =
      service::UpdateDomain(s, viewer.principal().ToActor(), before->name, InputOf(v, false));
  if (!updated) {
    FieldErrors errors;
    AddFieldError(errors, updated.error());
    return ShowForm(ui, viewer, v, errors, true);
  }
  return Redirect("/ui/domains/" + UrlComponent(updated->name) + "?saved=1");
}

}  // namespace

void AddDomainFormRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains/new", NewForm);
  AddAction(router, ui, "/ui/domains/new", Create);
  AddPage(router, ui, "/ui/domains/{name}/edit", EditForm);
  AddAction(router, ui, "/ui/domains/{name}/edit", Update);
}

}  // namespace certfleet::hub::ui
