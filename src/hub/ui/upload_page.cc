// Manual certificate upload for domains whose issuer is "manual": the service call that
// POST /api/v1/domains/{name}/certificate makes (service::UploadCertificate), so the same
// messages.
// The private key is sealed before it is stored and is never echoed back: after an error
// the form keeps the chain but the key field comes back empty.

#include "hub/api/lookup.h"
#include "hub/service/domains.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

Result<store::Domain> ManualDomain(UiContext& ui, const http::Request& req) {
  auto d = api::FindDomain(ui.api, req.PathParam("name"));
  if (!d) return d;
  if (d->issuer != store::kManualIssuer) {
    return Fail(ErrorCode::kConflict, "domain " + d->name + " has issuer " + d->issuer +
                                          "; only domains with issuer manual take uploads");
  }
  return d;
}

http::Response UploadForm(const Viewer& viewer, const store::Domain& d, std::string_view chain,
                          std::string_view error) {
  const std::string base = "/ui/domains/" + UrlComponent(d.name);
  std::string body = "<p>" + Link(base, "‹ " + d.name) + "</p><h1>Upload certificate for " +
                     Escape(d.name) +
                     "</h1><form class=\"card\" id=\"upload-form\" method=\"post\" action=\"" +
                     Escape(base + "/upload") + "\">" + CsrfField(viewer.session);
  if (!error.empty())
    body += "<p class=\"flash\" role=\"alert\" id=\"upload-error\">" + Escape(error) + "</p>";
  body +=
      "<label for=\"chain_pem\">Certificate chain (PEM, leaf first)</label>"
      "<textarea id=\"chain_pem\" name=\"chain_pem\" rows=\"10\" spellcheck=\"false\">" +
      Escape(chain) +
      "</textarea><label for=\"key_pem\">Private key (PEM)</label>"
      "<textarea id=\"key_pem\" name=\"key_pem\" rows=\"6\" spellcheck=\"false\" "
      "autocomplete=\"off\"></textarea>"
      "<p class=\"hint\">The key is encrypted before it is stored and is never shown again.</p>"
      "<div class=\"actions\"><button type=\"submit\" "
      "id=\"upload-submit\">Upload</button></div></form>";
  return HtmlResponse(Page(&viewer, "Upload certificate", "domains", body),
                      error.empty() ? 200 : 422);
}

Result<http::Response> ShowUpload(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  if (auto s = Authorize(viewer.principal(), Action::kManageKeys); !s) return Fail(s.error());
  auto d = ManualDomain(ui, req);
  if (!d) return Fail(d.error());
  return UploadForm(viewer, *d, "", "");
}

Result<http::Response> Upload(UiContext& ui, const http::Request& req, const Viewer& viewer,
                              const FormValues& form) {
  auto d = ManualDomain(ui, req);
  if (!d) return Fail(d.error());
  const std::string chain = form.Get("chain_pem");
  auto s = api::Services(ui.api);
  auto stored = service::UploadCertificate(s, viewer.principal().ToActor(), d->name, chain,
                                           form.Get("key_pem"));
  if (!stored) return UploadForm(viewer, *d, chain, stored.error().message);
  return Redirect("/ui/domains/" + UrlComponent(d->name) + "?saved=1");
}

}  // namespace

void AddUploadRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains/{name}/upload", ShowUpload);
  AddAction(router, ui, "/ui/domains/{name}/upload", Upload, Action::kManageKeys);
}

}  // namespace certfleet::hub::ui
