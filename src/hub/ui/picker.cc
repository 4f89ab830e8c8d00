#include "hub/ui/picker.h"

#include <algorithm>
#include <cctype>

#include "hub/api/json_model.h"
#include "hub/service/lookup.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Option(const store::Machine& m, const std::string& customer, std::string_view field,
                   std::string_view id, bool checked) {
  std::string detail = m.address;
  if (!customer.empty()) detail += (detail.empty() ? "" : " · ") + customer;
  return "<label class=\"option\" id=\"" + Escape(std::string(id) + "-option-" + m.name) +
         "\" data-search=\"" + Escape(Lower(m.name + " " + detail)) +
         "\"><input type=\"checkbox\" name=\"" + Escape(field) + "\" value=\"" + Escape(m.name) +
         "\"" + (checked ? " checked" : "") + "><span class=\"name\">" + Escape(m.name) +
         "</span><span class=\"detail\">" + Escape(detail) + "</span></label>";
}

}  // namespace

std::string OptionHtml(std::string_view value, std::string_view label, std::string_view selected) {
  return "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string HiddenLabelHtml(std::string_view id, std::string_view text) {
  return "<label class=\"sr-only\" for=\"" + Escape(id) + "\">" + Escape(text) + "</label>";
}

Result<std::string> MachinePickerHtml(UiContext& ui, std::string_view field, std::string_view id,
                                      const std::vector<std::string>& chosen) {
  auto machines = service::AllMachines(ui.api.store);
  if (!machines) return Fail(machines.error());
  if (machines->empty()) {
    return std::string("<p class=\"hint\" id=\"" + Escape(id) +
                       "-none\">No machines yet: <a href=\"/ui/machines/new\">add one</a> first, "
                       "or save the domain now and add machines later.</p>");
  }
  api::NameCache names(ui.api.store);
  std::string picked, rest;
  for (const auto& m : *machines) {
    const bool checked = std::find(chosen.begin(), chosen.end(), m.name) != chosen.end();
    const std::string customer = m.customer_id ? names.Customer(*m.customer_id) : "";
    (checked ? picked : rest) += Option(m, customer, field, id, checked);
  }
  const std::string total = std::to_string(machines->size());
  return "<fieldset class=\"picker\" id=\"" + Escape(id) +
         "\" data-picker><input type=\"search\" " + "class=\"picker-search\" id=\"" +
         Escape(std::string(id) + "-search") +
         "\" placeholder=\"find a machine by name, address or customer (" + total +
         " machines)\" aria-label=\"find a machine\" autocomplete=\"off\"><p class=\"hint "
         "picker-count\" aria-live=\"polite\"></p><div class=\"picker-options\" role=\"group\" "
         "aria-label=\"machines\">" +
         picked + rest + "</div><p class=\"hint picker-more\" hidden></p></fieldset>";
}

Result<std::string> CustomerSelectHtml(UiContext& ui, std::string_view field, std::string_view id,
                                       std::string_view selected, std::string_view none_label) {
  auto customers = service::AllCustomers(ui.api.store);
  if (!customers) return Fail(customers.error());
  std::string out = "<select id=\"" + Escape(id) + "\" name=\"" + Escape(field) + "\">" +
                    OptionHtml("", none_label, selected);
  for (const auto& c : *customers) out += OptionHtml(c.name, c.name, selected);
  return out + "</select>";
}

Result<std::string> MachineSelectHtml(UiContext& ui, std::string_view field, std::string_view id,
                                      std::string_view selected, std::string_view none_label) {
  auto machines = service::AllMachines(ui.api.store);
  if (!machines) return Fail(machines.error());
  std::string out = "<select id=\"" + Escape(id) + "\" name=\"" + Escape(field) + "\">" +
                    OptionHtml("", none_label, selected);
  for (const auto& m : *machines) out += OptionHtml(m.name, m.name, selected);
  return out + "</select>";
}

}  // namespace certfleet::hub::ui
