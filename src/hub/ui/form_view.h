// Building blocks of the forms: fields with their label, hint and inline error, errors filed
// under the field they are about, and the "are you sure?" page of destructive actions.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "common/error.h"
#include "http/response.h"
#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

// Messages per form field id; "" holds those that belong to no field (shown on top).
using FieldErrors = std::map<std::string, std::string, std::less<>>;

// Files `error` under the field whose label it starts with (service::IsAbout), using the
// (label, field id) pairs of the form; an existing name goes to `name_field`; else "".
void FileError(FieldErrors& errors, const Error& error,
               std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
               std::string_view name_field);

// <p class="field-error" id="error-ID" role="alert">message</p>, or "" when none.
std::string ErrorHtml(const FieldErrors& errors, std::string_view id);
// ' aria-invalid="true"' when the field has an error.
std::string InvalidAttr(const FieldErrors& errors, std::string_view id);

// <label for=ID>LABEL</label><input type=text id=ID name=ID value=VALUE …> + hint + error.
std::string TextField(const FieldErrors& errors, std::string_view id, std::string_view label,
                      std::string_view value, std::string_view hint = "",
                      std::string_view extra_attributes = "");

// A page that asks before something destructive happens: `question` as the heading,
// `consequences_html` (escaped by the caller) explaining what will be lost, a POST form to
// `action` with the CSRF field, a red button labelled `confirm_label` (id "confirm") and a
// Cancel link (id "cancel") back to `cancel_href`.
http::Response ConfirmPage(const Viewer& viewer, std::string_view nav, std::string_view question,
                           std::string_view consequences_html, std::string_view action,
                           std::string_view confirm_label, std::string_view cancel_href);

// "<p class=notice role=status>TEXT</p>" (escaped) when `text` is not empty.
std::string NoticeHtml(std::string_view text);

}  // namespace certfleet::hub::ui
