#include "hub/ui/form_view.h"

#include "hub/service/field_error.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"

namespace certfleet::hub::ui {

void FileError(FieldErrors& errors, const Error& error,
               std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
               std::string_view name_field) {
  std::string field;
  for (const auto& [label, id] : fields) {
    if (service::IsAbout(error, label)) field = std::string(id);
  }
  if (field.empty() && error.code == ErrorCode::kAlreadyExists) field = std::string(name_field);
  errors.emplace(field, error.message);
}

std::string ErrorHtml(const FieldErrors& errors, std::string_view id) {
  auto it = errors.find(id);
  if (it == errors.end()) return "";
  return "<p class=\"field-error\" id=\"error-" + Escape(id.empty() ? "form" : id) +
         "\" role=\"alert\">" + Escape(it->second) + "</p>";
}

std::string InvalidAttr(const FieldErrors& errors, std::string_view id) {
  return errors.count(id) ? " aria-invalid=\"true\"" : "";
}

std::string TextField(const FieldErrors& errors, std::string_view id, std::string_view label,
                      std::string_view value, std::string_view hint,
                      std::string_view extra_attributes) {
  std::string out = "<label for=\"" + Escape(id) + "\">" + Escape(label) +
                    "</label><input type=\"text\" id=\"" + Escape(id) + "\" name=\"" + Escape(id) +
                    "\" value=\"" + Escape(value) + "\"" + InvalidAttr(errors, id) +
                    (extra_attributes.empty() ? "" : " " + std::string(extra_attributes)) + ">";
  if (!hint.empty()) out += "<p class=\"hint\">" + Escape(hint) + "</p>";
  return out + ErrorHtml(errors, id);
}

http::Response ConfirmPage(const Viewer& viewer, std::string_view nav, std::string_view question,
                           std::string_view consequences_html, std::string_view action,
                           std::string_view confirm_label, std::string_view cancel_href) {
  const std::string body = "<h1>" + Escape(question) + "</h1><div class=\"card confirm\">" +
                           std::string(consequences_html) + "<form method=\"post\" action=\"" +
                           Escape(action) + "\">" + CsrfField(viewer.session) +
                           "<input type=\"hidden\" name=\"confirm\" value=\"yes\">"
                           "<div class=\"actions\"><button type=\"submit\" class=\"danger\" "
                           "id=\"confirm\">" +
                           Escape(confirm_label) +
                           "</button><a class=\"button secondary\" "
                           "id=\"cancel\" href=\"" +
                           Escape(cancel_href) + "\">Cancel</a></div></form></div>";
  return HtmlResponse(Page(&viewer, question, nav, body));
}

std::string NoticeHtml(std::string_view text) {
  if (text.empty()) return "";
  return "<p class=\"notice\" role=\"status\" id=\"notice\">" + Escape(text) + "</p>";
}

}  // namespace certfleet::hub::ui
