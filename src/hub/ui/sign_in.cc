// Sign-in with an API token, sign-out, the embedded assets and the "/" redirect.
//
// The sign-in form itself is CSRF-protected without storing anything per visitor
// (sign_in_form.h): GET /ui/login sets the cf_signin cookie and puts its HMAC into the
// form, and a successful POST creates a new signed-in session. Agent tokens cannot sign
// in (they belong to machines, not people).
#include <spdlog/spdlog.h>

#include "hub/ui/assets.h"
#include "hub/ui/csrf.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

// Only local paths under /ui are followed after sign-in (no open redirect).
std::string SafeNext(std::string_view next) {
  if (next.rfind("/ui/", 0) == 0 && next.find("//") == std::string_view::npos &&
      next.find('\\') == std::string_view::npos) {
    return std::string(next);
  }
  return "/ui/";
}

// The cf_signin cookie: only for /ui/login, gone after `max_age` (0: delete it).
std::string SignInCookie(std::string_view value, Duration max_age, const http::Request& request) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
  return std::string(kSignInCookie) + "=" + std::string(value) + "; Path=/ui/login; HttpOnly; " +
         (CameOverHttps(request) ? "Secure; " : "") +
         "SameSite=Strict; Max-Age=" + std::to_string(seconds);
}

http::Response SignInPage(UiContext& ui, const http::Request& request, std::string_view next,
                          std::string_view error, int status = 200) {
  const SignInForm::Issued form = ui.sign_in.Issue();
  std::string body =
      "<div class=\"card sign-in\"><h1>Sign in to "
      "certfleet</h1>";
  if (!error.empty())
    body += "<p class=\"flash\" role=\"alert\" id=\"sign-in-error\">" + Escape(error) + "</p>";
  body += "<form method=\"post\" action=\"/ui/login\"><input type=\"hidden\" name=\"" +
          std::string(kCsrfField) + "\" value=\"" + Escape(form.csrf_token) + "\">" +
          "<input type=\"hidden\" name=\"next\" value=\"" + Escape(next) +
          "\">"
          "<label for=\"token\">API token</label>"
          "<input type=\"password\" id=\"token\" name=\"token\" autocomplete=\"off\" required "
          "placeholder=\"cf_…\">"
          "<p class=\"hint\">A support, admin or readonly token (certfleet token create).</p>"
          "<button type=\"submit\">Sign in</button></form></div>";
  http::Response r = HtmlResponse(Page(nullptr, "Sign in", "", body), status);
  r.headers.Add("Set-Cookie", SignInCookie(form.cookie, ui.sign_in.max_age(), request));
  return r;
}

http::Response ShowSignIn(UiContext& ui, const http::Request& request) {
  const std::string next = SafeNext(request.QueryParam("next").value_or("/ui/"));
  if (CurrentViewer(ui, request)) return Redirect(next);
  return SignInPage(ui, request, next, "");
}

http::Response SignIn(UiContext& ui, const http::Request& request) {
  auto form = FormValues::Parse(request.body);
  if (!form) return SignInPage(ui, request, "/ui/", form.error().message, 400);
  const std::string next = SafeNext(form->Get("next"));
  if (auto s = CheckSameOrigin(request); !s) {
    return SignInPage(ui, request, next, s.error().message, 403);
  }
  if (auto s = ui.sign_in.Check(CookieValue(request, kSignInCookie), form->Get(kCsrfField)); !s) {
    return SignInPage(ui, request, next, s.error().message, 403);
  }
  const std::string previous = CookieValue(request, kSessionCookie);  // ended by SignIn
  const std::string token = form->Get("token");
  auto principal = ui.api.auth.Authenticate("Bearer " + token);
  if (!principal) {
    return SignInPage(ui, request, next, "That token is not valid (unknown, revoked or mistyped).",
                      401);
  }
  if (principal->role == store::Role::kAgent) {
    return SignInPage(ui, request, next,
                      "Agent tokens belong to machines and cannot sign in; use a "
                      "support, admin or readonly token.",
                      403);
  }
  if (principal->role == store::Role::kMetrics) {
    return SignInPage(ui, request, next,
                      "Metrics tokens are for Prometheus and cannot sign in; use a "
                      "support, admin or readonly token.",
                      403);
  }
  spdlog::info("hub ui: token {} signed in", principal->token_id);
  auto session = ui.sessions.SignIn(previous, *principal, HashTokenSecret(token));
  if (!session) {
    spdlog::warn("hub ui: cannot store a session: {}", session.error().message);
    return SignInPage(ui, request, next,
                      "Signing in is not possible right now (the hub cannot reach its database); "
                      "try again in a moment.",
                      503);
  }
  http::Response r = Redirect(next);
  r.headers.Add("Set-Cookie", SignInCookie("", Duration(0), request));
  r.headers.Add("Set-Cookie",
                SessionCookie(session->id, std::chrono::hours(12), CameOverHttps(request)));
  return r;
}

Result<http::Response> SignOut(UiContext& ui, const http::Request& request, const Viewer& viewer,
                               const FormValues&) {
  ui.sessions.Remove(viewer.session.id);
  http::Response r = Redirect("/ui/login");
  r.headers.Add("Set-Cookie", ClearedSessionCookie(CameOverHttps(request)));
  return r;
}

http::Response ServeAsset(const http::Request& request) {
  const EmbeddedAsset* asset = FindAsset(request.PathParam("file"));
  if (!asset) return http::Response::NotFound("no such asset");
  const std::string_view etag = AssetEtag(*asset);
  http::Response r;
  r.headers.Set("ETag", etag);
  r.headers.Set("Cache-Control", "public, max-age=3600");
  r.headers.Set("X-Content-Type-Options", "nosniff");
  if (request.headers.Get("If-None-Match").value_or("") == etag) {
    r.status = 304;
    return r;
  }
  r.headers.Set("Content-Type", asset->content_type);
  r.body = std::string(asset->body);
  return r;
}

}  // namespace

void AddSignInRoutes(http::Router& router, const UiPtr& ui) {
  router.Add("GET", "/", [](const http::Request&) { return Redirect("/ui/"); });
  router.Add("GET", "/ui", [](const http::Request&) { return Redirect("/ui/"); });
  router.Add("GET", "/ui/assets/{file}", ServeAsset);
  router.Add("GET", "/ui/login", [ui](const http::Request& r) { return ShowSignIn(*ui, r); });
  router.Add("POST", "/ui/login", [ui](const http::Request& r) { return SignIn(*ui, r); });
  AddAction(router, ui, "/ui/logout", SignOut, Action::kRead);
}

}  // namespace certfleet::hub::ui
