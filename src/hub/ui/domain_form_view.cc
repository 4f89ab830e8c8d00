#include "hub/ui/domain_form_view.h"

#include <algorithm>
#include <cstdlib>

#include "hub/api/json_model.h"
#include "hub/service/domain_fields.h"
#include "hub/service/field_error.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"

namespace certfleet::hub::ui {
namespace {

std::string ErrorFor(const FieldErrors& errors, std::string_view field) {
  return ErrorHtml(errors, field);
}

std::string Option(std::string_view value, std::string_view label, std::string_view selected) {
  return "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string Invalid(const FieldErrors& errors, std::string_view field) {
  return InvalidAttr(errors, field);
}

std::string IssuerSelect(UiContext& ui, const DomainFormValues& v) {
  std::string out = "<select id=\"issuer\" name=\"issuer\">";
  for (const auto& issuer : ui.api.config.issuers)
    out += Option(issuer.name, issuer.name, v.issuer);
  out += Option(store::kManualIssuer, "manual (certificates are uploaded)", v.issuer);
  return out + "</select>";
}

std::string KeyTypeSelect(UiContext& ui, const DomainFormValues& v) {
  std::string out = "<select id=\"key_type\" name=\"key_type\">" +
                    Option("", "default (" + ui.api.config.issuance.key_type + ")", v.key_type);
  for (const auto& k : service::KeyTypeNames()) out += Option(k, k, v.key_type);
  return out + "</select>";
}

}  // namespace

std::vector<std::string> SplitNames(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\n' || c == '\r' || c == '\t') {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

DomainFormValues FormValuesOf(const FormValues& form) {
  DomainFormValues v;
  v.name = form.Get("name");
  v.sans = form.Get("sans");
  v.customer = form.Get("customer");
  v.machines = form.GetAll("machines");
  v.issuer = form.Get("issuer");
  v.key_type = form.Get("key_type");
  v.profile = form.Get("profile");
  v.version = std::atoll(form.Get("version").c_str());
  return v;
}

DomainFormValues FormValuesOf(const store::Domain& d, UiContext& ui) {
  api::NameCache names(ui.api.store);
  DomainFormValues v;
  v.name = d.name;
  for (const auto& s : d.sans) v.sans += (v.sans.empty() ? "" : "\n") + s;
  if (d.customer_id) v.customer = names.Customer(*d.customer_id);
  for (auto id : d.machine_ids) v.machines.push_back(names.Machine(id));
  v.issuer = d.issuer;
  v.key_type = d.key_type;
  v.profile = d.profile;
  v.version = d.version;
  return v;
}

void AddFieldError(FieldErrors& errors, const Error& error) {
  namespace label = service::label;
  FileError(errors, error,
            {{label::kDomainName, "name"},
             {label::kOtherNames, "sans"},
             {label::kCustomer, "customer"},
             {label::kMachines, "machines"},
             {label::kIssuer, "issuer"},
             {label::kKeyType, "key_type"},
             {label::kProfile, "profile"}},
            "name");
}

Result<std::string> DomainFormHtml(UiContext& ui, const Viewer& viewer, const DomainFormValues& v,
                                   const FieldErrors& errors, bool editing) {
  auto customers = CustomerSelectHtml(ui, "customer", "customer", v.customer, "(none)");
  auto machines = MachinePickerHtml(ui, "machines", "machines", v.machines);
  if (!customers) return Fail(customers.error());
  if (!machines) return Fail(machines.error());
  const std::string action =
      editing ? "/ui/domains/" + UrlComponent(v.name) + "/edit" : "/ui/domains/new";
  std::string out = "<form class=\"card\" id=\"domain-form\" method=\"post\" action=\"" +
                    Escape(action) + "\" novalidate>" + CsrfField(viewer.session) +
                    ErrorFor(errors, "");
  out += "<label for=\"name\">Domain name</label>";
  if (editing) {
    out += "<input type=\"text\" id=\"name\" value=\"" + Escape(v.name) +
           "\" disabled>"
           "<input type=\"hidden\" name=\"version\" value=\"" +
           std::to_string(v.version) + "\">";
  } else {
    out +=
        "<input type=\"text\" id=\"name\" name=\"name\" required autocapitalize=\"none\" value=\"" +
        Escape(v.name) + "\"" + Invalid(errors, "name") + ">";
  }
  out += ErrorFor(errors, "name") +
         "<label for=\"sans\">Other names</label>"
         "<textarea id=\"sans\" name=\"sans\" rows=\"3\" autocapitalize=\"none\"" +
         Invalid(errors, "sans") + ">" + Escape(v.sans) +
         "</textarea><p class=\"hint\">One per line, e.g. www.example.com.</p>" +
         ErrorFor(errors, "sans");
  out += "<label for=\"customer\">Customer</label>" + *customers + ErrorFor(errors, "customer");
  out += "<label for=\"machines-search\">Machines that serve it</label>" + *machines +
         ErrorFor(errors, "machines");
  out += "<label for=\"issuer\">Issuer</label>" + IssuerSelect(ui, v) + ErrorFor(errors, "issuer");
  out += "<label for=\"key_type\">Key type</label>" + KeyTypeSelect(ui, v) +
         ErrorFor(errors, "key_type");
  out +=
      "<label for=\"profile\">ACME profile</label><input type=\"text\" id=\"profile\" "
      "name=\"profile\" value=\"" +
      Escape(v.profile) + "\"" + Invalid(errors, "profile") +
      "><p class=\"hint\">Empty: the CA's default.</p>" + ErrorFor(errors, "profile");
  out += "<div class=\"actions\"><button type=\"submit\" id=\"save-domain\">" +
         std::string(editing ? "Save" : "Add domain") + "</button></div></form>";
  return out;
}

}  // namespace certfleet::hub::ui
