// Add and edit a domain. Validation is the API's (api::ValidateDomainFields and the
// customer/machine lookups), so the form shows the same messages as POST /api/v1/domains;
// errors appear beside the field they concern and the typed values are kept.
#include "hub/api/domain_fields.h"
#include "hub/api/lookup.h"
#include "hub/ui/domain_form_view.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

bool IsAcme(const store::Domain& d) { return d.issuer != store::kManualIssuer; }

// Validates the form onto `d` (name only when creating). Collects every error it can.
FieldErrors Apply(UiContext& ui, const DomainFormValues& v, bool creating, store::Domain& d) {
  FieldErrors errors;
  api::DomainFields fields{creating ? v.name : d.name, SplitNames(v.sans), v.issuer, v.key_type,
                           v.profile};
  auto valid = api::ValidateDomainFields(ui.api.config, std::move(fields));
  if (!valid) AddFieldError(errors, valid.error());
  auto customer = api::CustomerIdOf(
      ui.api, v.customer.empty() ? std::nullopt : std::optional<std::string>(v.customer));
  if (!customer) AddFieldError(errors, customer.error());
  auto machines = api::MachineIdsOf(ui.api, v.machines);
  if (!machines) AddFieldError(errors, machines.error());
  if (!errors.empty()) return errors;
  d.name = valid->name;
  d.sans = valid->sans;
  d.issuer = valid->issuer;
  d.key_type = valid->key_type;
  d.profile = valid->profile;
  d.customer_id = *customer;
  d.machine_ids = std::move(*machines);
  return errors;
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
  store::Domain d;
  FieldErrors errors = Apply(ui, v, /*creating=*/true, d);
  if (!errors.empty()) return ShowForm(ui, viewer, v, errors, false);
  d.status = store::DomainStatus::kPending;
  if (IsAcme(d)) d.next_attempt_at = ui.api.clock.Now();
  auto created = ui.api.store.CreateDomain(viewer.principal().ToActor(), d);
  if (!created) {
    AddFieldError(errors, created.error());
    return ShowForm(ui, viewer, v, errors, false);
  }
  if (IsAcme(*created)) ui.api.wake_issuance();
  return Redirect("/ui/domains/" + UrlComponent(created->name) + "?saved=1");
}

Result<http::Response> EditForm(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return Fail(d.error());
  return ShowForm(ui, viewer, FormValuesOf(*d, ui), {}, true);
}

// As PATCH /api/v1/domains/{name}: a changed SAN list, key type, profile or issuer needs
// a new certificate, so an ACME domain becomes due now.
Result<http::Response> Update(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  auto before = api::FindDomain(ui.api, req.PathParam("name"));
  if (!before) return Fail(before.error());
  DomainFormValues v = FormValuesOf(form);
  v.name = before->name;
  store::Domain d = *before;
  d.version = v.version;
  FieldErrors errors = Apply(ui, v, /*creating=*/false, d);
  if (!errors.empty()) return ShowForm(ui, viewer, v, errors, true);
  const bool reorder = before->sans != d.sans || before->key_type != d.key_type ||
                       before->profile != d.profile || before->issuer != d.issuer;
  if (reorder) d.next_attempt_at = IsAcme(d) ? std::optional(ui.api.clock.Now()) : std::nullopt;
  auto updated = ui.api.store.UpdateDomain(viewer.principal().ToActor(), d);
  if (!updated) {
    AddFieldError(errors,
                  updated.error().code == ErrorCode::kConflict
                      ? Error{ErrorCode::kConflict,
                              "someone else changed this domain meanwhile; reload the page to "
                              "see their change, then edit again"}
                      : updated.error());
    return ShowForm(ui, viewer, v, errors, true);
  }
  if (reorder && IsAcme(*updated)) ui.api.wake_issuance();
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
