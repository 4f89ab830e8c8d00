// Add, edit and delete a machine (support and admin), through the service layer
// (hub/service/customers.h) like the API. Deleting asks first and says what goes with it.
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/service/customers.h"
#include "hub/service/field_error.h"
#include "hub/ui/form_view.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

namespace label = service::label;

struct Values {
  std::string name, address, customer;
  std::int64_t version = 0;
};

Values ValuesOf(const FormValues& form) {
  return {form.Get("name"), form.Get("address"), form.Get("customer"),
          std::atoll(form.Get("version").c_str())};
}

Result<http::Response> Form(UiContext& ui, const Viewer& viewer, const Values& v,
                            const FieldErrors& errors, const std::string& editing) {
  auto customers = CustomerSelectHtml(ui, "customer", "customer", v.customer, "(none)");
  if (!customers) return Fail(customers.error());
  const std::string action =
      editing.empty() ? "/ui/machines/new" : "/ui/machines/" + UrlComponent(editing) + "/edit";
  const std::string title = editing.empty() ? "Add machine" : "Edit " + editing;
  std::string body =
      "<p>" +
      Link(editing.empty() ? "/ui/machines" : "/ui/machines/" + UrlComponent(editing),
           editing.empty() ? "‹ Machines" : "‹ " + editing) +
      "</p><h1>" + Escape(title) +
      "</h1><form class=\"card\" id=\"machine-form\" method=\"post\" action=\"" + Escape(action) +
      "\" novalidate>" + CsrfField(viewer.session) + ErrorHtml(errors, "") +
      "<input type=\"hidden\" name=\"version\" value=\"" + std::to_string(v.version) + "\">";
  body += TextField(errors, "name", "Name", v.name,
                    "How people and its agent token know it, e.g. web-03.",
                    "required autocomplete=\"off\" autocapitalize=\"none\"");
  body += TextField(errors, "address", "Address", v.address,
                    "Host name or IP to reach it (for people; the agent calls the hub).");
  body += "<label for=\"customer\">Customer</label>" + *customers + ErrorHtml(errors, "customer");
  body += "<div class=\"actions\"><button type=\"submit\" id=\"save-machine\">" +
          std::string(editing.empty() ? "Add machine" : "Save") + "</button></div></form>";
  return HtmlResponse(Page(&viewer, title, "machines", body), errors.empty() ? 200 : 422);
}

FieldErrors ErrorsOf(const Error& e) {
  FieldErrors errors;
  FileError(errors, e,
            {{label::kName, "name"}, {label::kAddress, "address"}, {label::kCustomer, "customer"}},
            "name");
  return errors;
}

Result<http::Response> NewForm(UiContext& ui, const http::Request&, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  return Form(ui, viewer, {}, {}, "");
}

Result<http::Response> Create(UiContext& ui, const http::Request&, const Viewer& viewer,
                              const FormValues& form) {
  const Values v = ValuesOf(form);
  auto s = api::Services(ui.api);
  auto created = service::CreateMachine(s, viewer.principal().ToActor(),
                                        {v.name, v.address, v.customer, std::nullopt});
  if (!created) return Form(ui, viewer, v, ErrorsOf(created.error()), "");
  return Redirect("/ui/machines/" + UrlComponent(created->name) + "?saved=1");
}

Result<http::Response> EditForm(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto m = api::FindMachine(ui.api, req.PathParam("name"));
  if (!m) return Fail(m.error());
  api::NameCache names(ui.api.store);
  Values v{m->name, m->address, m->customer_id ? names.Customer(*m->customer_id) : "", m->version};
  return Form(ui, viewer, v, {}, m->name);
}

Result<http::Response> Update(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  const Values v = ValuesOf(form);
  const std::string name(req.PathParam("name"));
  auto s = api::Services(ui.api);
  auto updated = service::UpdateMachine(s, viewer.principal().ToActor(), name,
                                        {v.name, v.address, v.customer, v.version});
  if (!updated) return Form(ui, viewer, v, ErrorsOf(updated.error()), name);
  return Redirect("/ui/machines/" + UrlComponent(updated->name) + "?saved=1");
}

Result<http::Response> AskDelete(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto m = api::FindMachine(ui.api, req.PathParam("name"));
  if (!m) return Fail(m.error());
  auto hosted = ui.api.store.ListDomains({.machine_id = m->id, .limit = 1});
  if (!hosted) return Fail(hosted.error());
  const std::string base = "/ui/machines/" + UrlComponent(m->name);
  std::string consequences =
      "<ul><li>its deployment records are deleted and its agent tokens revoked, so its agent "
      "can no longer reach the hub;</li><li>a machine that still hosts domains is not deleted "
      "(this one hosts " +
      std::to_string(hosted->total) + "): " +
      Link(UrlWithQuery("/ui/domains", {{"machine", m->name}}), "move them to another machine") +
      " first.</li></ul>";
  return ConfirmPage(viewer, "machines", "Delete machine " + m->name + "?", consequences,
                     base + "/delete", "Delete " + m->name, base);
}

Result<http::Response> Delete(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  if (form.Get("confirm") != "yes") return AskDelete(ui, req, viewer);
  const std::string name(req.PathParam("name"));
  auto s = api::Services(ui.api);
  if (auto st = service::DeleteMachine(s, viewer.principal().ToActor(), name); !st) {
    return Fail(st.error());
  }
  return Redirect(UrlWithQuery("/ui/machines", {{"deleted", name}}));
}

}  // namespace

void AddMachineFormRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/machines/new", NewForm);
  AddAction(router, ui, "/ui/machines/new", Create);
  AddPage(router, ui, "/ui/machines/{name}/edit", EditForm);
  AddAction(router, ui, "/ui/machines/{name}/edit", Update);
  AddPage(router, ui, "/ui/machines/{name}/delete", AskDelete);
  AddAction(router, ui, "/ui/machines/{name}/delete", Delete);
}

}  // namespace certfleet::hub::ui
