// Add, edit and delete a customer (support and admin). The values go to the service layer
// (hub/service/customers.h), the calls the API makes, so the messages are the API's; an
// error appears beside its field and the typed values are kept. Deleting asks first.
#include "hub/api/lookup.h"
#include "hub/service/customers.h"
#include "hub/service/field_error.h"
#include "hub/service/names.h"
#include "hub/ui/form_view.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

namespace label = service::label;

struct Values {
  std::string name, contact, support_expires;
  std::int64_t version = 0;
};

Values ValuesOf(const FormValues& form) {
  return {form.Get("name"), form.Get("contact"), form.Get("support_expires"),
          std::atoll(form.Get("version").c_str())};
}

Values ValuesOf(const store::Customer& c) {
  return {c.name, c.contact, c.support_expires ? service::DateString(*c.support_expires) : "",
          c.version};
}

http::Response Form(const Viewer& viewer, const Values& v, const FieldErrors& errors,
                    const std::string& editing) {
  const std::string action =
      editing.empty() ? "/ui/customers/new" : "/ui/customers/" + UrlComponent(editing) + "/edit";
  const std::string title = editing.empty() ? "Add customer" : "Edit " + editing;
  std::string body =
      "<p>" +
      Link(editing.empty() ? "/ui/customers" : "/ui/customers/" + UrlComponent(editing),
           editing.empty() ? "‹ Customers" : "‹ " + editing) +
      "</p><h1>" + Escape(title) +
      "</h1><form class=\"card\" id=\"customer-form\" method=\"post\" action=\"" + Escape(action) +
      "\" novalidate>" + CsrfField(viewer.session) + ErrorHtml(errors, "") +
      "<input type=\"hidden\" name=\"version\" value=\"" + std::to_string(v.version) + "\">";
  body += TextField(errors, "name", "Name", v.name, "", "required autocomplete=\"off\"");
  body += TextField(errors, "contact", "Contact", v.contact, "E-mail, phone or a person to call.");
  body += TextField(errors, "support_expires", "Support until", v.support_expires,
                    "Last day of the support contract, e.g. 2027-03-31; empty for none.",
                    "placeholder=\"YYYY-MM-DD\" inputmode=\"numeric\"");
  body += "<div class=\"actions\"><button type=\"submit\" id=\"save-customer\">" +
          std::string(editing.empty() ? "Add customer" : "Save") + "</button></div></form>";
  return HtmlResponse(Page(&viewer, title, "customers", body), errors.empty() ? 200 : 422);
}

FieldErrors ErrorsOf(const Error& e) {
  FieldErrors errors;
  FileError(errors, e,
            {{label::kName, "name"},
             {label::kContact, "contact"},
             {label::kSupportUntil, "support_expires"}},
            "name");
  return errors;
}

Result<http::Response> NewForm(UiContext&, const http::Request&, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  return Form(viewer, {}, {}, "");
}

Result<http::Response> Create(UiContext& ui, const http::Request&, const Viewer& viewer,
                              const FormValues& form) {
  const Values v = ValuesOf(form);
  auto s = api::Services(ui.api);
  auto created = service::CreateCustomer(s, viewer.principal().ToActor(),
                                         {v.name, v.contact, v.support_expires, std::nullopt});
  if (!created) return Form(viewer, v, ErrorsOf(created.error()), "");
  return Redirect("/ui/customers/" + UrlComponent(created->name) + "?saved=1");
}

Result<http::Response> EditForm(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto c = api::FindCustomer(ui.api, req.PathParam("name"));
  if (!c) return Fail(c.error());
  return Form(viewer, ValuesOf(*c), {}, c->name);
}

Result<http::Response> Update(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  const Values v = ValuesOf(form);
  const std::string name(req.PathParam("name"));
  auto s = api::Services(ui.api);
  auto updated = service::UpdateCustomer(s, viewer.principal().ToActor(), name,
                                         {v.name, v.contact, v.support_expires, v.version});
  if (!updated) return Form(viewer, v, ErrorsOf(updated.error()), name);
  return Redirect("/ui/customers/" + UrlComponent(updated->name) + "?saved=1");
}

Result<http::Response> AskDelete(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (!viewer.can_manage()) return Fail(Authorize(viewer.principal(), Action::kManage).error());
  auto c = api::FindCustomer(ui.api, req.PathParam("name"));
  if (!c) return Fail(c.error());
  const std::string base = "/ui/customers/" + UrlComponent(c->name);
  return ConfirmPage(viewer, "customers", "Delete customer " + c->name + "?",
                     "<p>The customer's record goes. A customer who still has machines or "
                     "domains is not deleted: move or delete those first.</p>",
                     base + "/delete", "Delete " + c->name, base);
}

Result<http::Response> Delete(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  if (form.Get("confirm") != "yes") return AskDelete(ui, req, viewer);
  const std::string name(req.PathParam("name"));
  auto s = api::Services(ui.api);
  if (auto st = service::DeleteCustomer(s, viewer.principal().ToActor(), name); !st) {
    return Fail(st.error());
  }
  return Redirect(UrlWithQuery("/ui/customers", {{"deleted", name}}));
}

}  // namespace

void AddCustomerFormRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/customers/new", NewForm);
  AddAction(router, ui, "/ui/customers/new", Create);
  AddPage(router, ui, "/ui/customers/{name}/edit", EditForm);
  AddAction(router, ui, "/ui/customers/{name}/edit", Update);
  AddPage(router, ui, "/ui/customers/{name}/delete", AskDelete);
  AddAction(router, ui, "/ui/customers/{name}/delete", Delete);
}

}  // namespace certfleet::hub::ui
