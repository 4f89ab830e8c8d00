// The add/edit domain form: its values, its inline errors and its HTML.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/ui/form.h"
#include "hub/ui/form_view.h"
#include "hub/ui/ui_context.h"
#include "store/model.h"

namespace certfleet::hub::ui {

struct DomainFormValues {
  std::string name;
  std::string sans;  // as typed: names separated by spaces, commas or new lines
  std::string customer;
  std::vector<std::string> machines;
  std::string issuer;
  std::string key_type;
  std::string profile;
  std::int64_t version = 0;  // edit only: the row version the form was loaded from
};

DomainFormValues FormValuesOf(const FormValues& form);
DomainFormValues FormValuesOf(const store::Domain& d, UiContext& ui);
// Splits the SAN text into names (empty pieces dropped).
std::vector<std::string> SplitNames(std::string_view text);

// Files a service error under the field it is about (service::IsAbout: "Other names: …"
// → "sans"); an existing name → "name"; else "" (shown above the form).
void AddFieldError(FieldErrors& errors, const Error& error);

// The whole form. `editing`: the name is fixed and the version travels in a hidden field.
Result<std::string> DomainFormHtml(UiContext& ui, const Viewer& viewer, const DomainFormValues& v,
                                   const FieldErrors& errors, bool editing);

}  // namespace certfleet::hub::ui
