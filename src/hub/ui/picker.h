// Pickers for the forms: a searchable multi-select of machines (assets/app.js filters it in
// the browser; without script it is a plain list of labelled checkboxes) and a select of
// customers. Every option is a <label> around its own checkbox, so a name can never read
// as the label of the next box.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

// <fieldset data-picker> with one checkbox named `field` per machine, value = its name,
// checked for those in `chosen` (listed first). `id` prefixes the element ids
// ("<id>-search", and "<id>-option-<name>" per option).
Result<std::string> MachinePickerHtml(UiContext& ui, std::string_view field, std::string_view id,
                                      const std::vector<std::string>& chosen);

// <select id=ID name=FIELD> of every customer (up to 1,000), with an empty choice labelled
// `none_label` first.
Result<std::string> CustomerSelectHtml(UiContext& ui, std::string_view field, std::string_view id,
                                       std::string_view selected, std::string_view none_label);

// <select id=ID name=FIELD> of every machine, with an empty choice labelled `none_label`.
Result<std::string> MachineSelectHtml(UiContext& ui, std::string_view field, std::string_view id,
                                      std::string_view selected, std::string_view none_label);

// <option value="VALUE"[ selected]>LABEL</option>, escaped.
std::string OptionHtml(std::string_view value, std::string_view label, std::string_view selected);

// A <label for="id"> that only screen readers see: the name of a filter control whose
// first option already says what it is to the eye ("any customer").
std::string HiddenLabelHtml(std::string_view id, std::string_view text);

}  // namespace certfleet::hub::ui
