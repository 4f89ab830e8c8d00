#include "hub/ui/layout.h"

#include <array>

#include "hub/ui/csrf.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

struct NavEntry {
  std::string_view key;
  std::string_view href;
  std::string_view label;
};
constexpr std::array<NavEntry, 7> kNav = {{{"dashboard", "/ui/", "Dashboard"},
                                           {"domains", "/ui/domains", "Domains"},
                                           {"customers", "/ui/customers", "Customers"},
                                           {"machines", "/ui/machines", "Machines"},
                                           {"discovered", "/ui/discovered", "Discovered"},
                                           {"audit", "/ui/audit", "Audit"},
                                           {"tokens", "/ui/tokens", "Tokens"}}};

std::string Header(const Viewer& viewer, std::string_view nav) {
  std::string out =
      "<header><a class=\"brand\" href=\"/ui/\">certfleet</a><nav aria-label=\"main\">";
  for (const auto& entry : kNav) {
    if (entry.key == "tokens" && !RoleAllows(viewer.principal().role, Action::kManageTokens)) {
      continue;  // admins only
    }
    out += "<a href=\"" + Escape(entry.href) + "\"";
    if (entry.key == nav) out += " aria-current=\"page\"";
    out += ">" + Escape(entry.label) + "</a>";
  }
  out += "</nav><span class=\"who\">" + Escape(viewer.principal().token_name) + " (" +
         Escape(store::RoleName(viewer.principal().role)) + ")</span>";
  out += "<form method=\"post\" action=\"/ui/logout\">" + CsrfField(viewer.session) +
         "<button type=\"submit\" id=\"sign-out\">Sign out</button></form></header>";
  return out;
}

}  // namespace

std::string CsrfField(const Session& session) {
  return "<input type=\"hidden\" name=\"" + std::string(kCsrfField) + "\" value=\"" +
         Escape(session.csrf_token) + "\">";
}

std::string Page(const Viewer* viewer, std::string_view title, std::string_view nav,
                 std::string_view body) {
  std::string out =
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"htmx-config\" content='{\"includeIndicatorStyles\":false,"
      "\"allowEval\":false,\"allowScriptTags\":false,\"selfRequestsOnly\":true}'>"
      "<title>" +
      Escape(title) +
      " · certfleet</title>"
      "<link rel=\"stylesheet\" href=\"/ui/assets/app.css\">"
      "<script src=\"/ui/assets/htmx.min.js\" defer></script>"
      "<script src=\"/ui/assets/app.js\" defer></script></head>";
  // The first Tab stop: a link past the navigation to the page's content (keyboard users).
  const std::string skip =
      "<a class=\"skip\" id=\"skip-to-content\" href=\"#content\">Skip to content</a>";
  if (viewer) {
    // htmx sends the CSRF token as a header on every request it makes (hx-post...).
    out += "<body hx-headers='{\"X-CSRF-Token\": \"" + Escape(viewer->session.csrf_token) +
           "\"}'>" + skip + Header(*viewer, nav);
  } else {
    out += "<body>" + skip;
  }
  // #flash is where htmx puts an error: a live region, so a screen reader reads it out.
  out += "<main id=\"content\" tabindex=\"-1\"><div id=\"flash\" aria-live=\"polite\"></div>";
  out += body;
  out += "</main></body></html>\n";
  return out;
}

http::Response HtmlResponse(std::string html, int status) {
  http::Response r;
  r.status = status;
  r.body = std::move(html);
  r.headers.Set("Content-Type", "text/html; charset=utf-8");
  r.headers.Set("Content-Security-Policy", kCsp);
  r.headers.Set("X-Content-Type-Options", "nosniff");
  r.headers.Set("Referrer-Policy", "no-referrer");
  r.headers.Set("X-Frame-Options", "DENY");
  r.headers.Set("Cache-Control", "no-store");
  r.headers.Set("Vary", "HX-Request");
  return r;
}

http::Response Redirect(std::string_view location) {
  http::Response r = HtmlResponse("", 303);
  r.headers.Set("Location", location);
  return r;
}

bool IsHtmx(const http::Request& request) {
  return request.headers.Get("HX-Request").value_or("") == "true" &&
         !request.headers.Has("HX-History-Restore-Request");
}

http::Response ErrorResponse(const http::Request& request, const Viewer* viewer,
                             const Error& error) {
  const int status = http::StatusForError(error.code);
  const std::string message =
      "<div class=\"flash\" role=\"alert\">" + Escape(error.message) + "</div>";
  if (IsHtmx(request)) {
    // htmx swaps only 2xx answers by default: answer 200 and retarget to the flash area.
    http::Response r = HtmlResponse(message, 200);
    r.headers.Set("HX-Retarget", "#flash");
    r.headers.Set("HX-Reswap", "innerHTML");
    return r;
  }
  const std::string title = status == 403 ? "Not allowed" : status == 404 ? "Not found" : "Error";
  return HtmlResponse(Page(viewer, title, "", "<h1>" + Escape(title) + "</h1>" + message), status);
}

}  // namespace certfleet::hub::ui
