#include "hub/ui/ui_guard.h"

#include <spdlog/spdlog.h>

#include "hub/ui/csrf.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"

namespace certfleet::hub::ui {
namespace {

// Where to send someone who must sign in first; `next` brings them back afterwards.
http::Response SignInFirst(const http::Request& request) {
  const std::string next = request.method == "GET" ? request.target : "/ui/";
  const std::string location = UrlWithQuery("/ui/login", {{"next", next}});
  if (IsHtmx(request)) {
    http::Response r = HtmlResponse("", 200);
    r.headers.Set("HX-Redirect", location);
    return r;
  }
  return Redirect(location);
}

http::Response Denied(const http::Request& request, const Viewer* viewer, const Error& error) {
  spdlog::info("hub ui: refused {} {}: {}", request.method, request.path, error.message);
  return ErrorResponse(request, viewer, error);
}

}  // namespace

std::optional<Viewer> CurrentViewer(UiContext& ui, const http::Request& request) {
  const std::string id = CookieValue(request, kSessionCookie);
  auto session = ui.sessions.Find(id);
  // Find refuses (and ends) a session whose token was revoked, in the same read.
  if (!session || !session->signed_in()) return std::nullopt;
  return Viewer{std::move(*session)};
}

void AddPage(http::Router& router, const UiPtr& ui, std::string_view pattern, PageFn fn) {
  router.Add("GET", pattern, [ui, fn](const http::Request& request) {
    auto viewer = CurrentViewer(*ui, request);
    if (!viewer) return SignInFirst(request);
    auto response = fn(*ui, request, *viewer);
    if (!response) return ErrorResponse(request, &*viewer, response.error());
    return std::move(*response);
  });
}

void AddAction(http::Router& router, const UiPtr& ui, std::string_view pattern, ActionFn fn,
               Action action) {
  router.Add("POST", pattern, [ui, fn, action](const http::Request& request) {
    auto viewer = CurrentViewer(*ui, request);
    if (!viewer) {
      return Denied(
          request, nullptr,
          Error{ErrorCode::kPermissionDenied,
                "you are not signed in (or your session expired); sign in and try again"});
    }
    auto form = FormValues::Parse(request.body);
    if (!form) return Denied(request, &*viewer, form.error());
    if (auto s = CheckCsrf(request, *form, viewer->session); !s) {
      return Denied(request, &*viewer, s.error());
    }
    if (auto s = Authorize(viewer->principal(), action); !s) {
      return Denied(request, &*viewer, s.error());
    }
    auto response = fn(*ui, request, *viewer, *form);
    if (!response) return ErrorResponse(request, &*viewer, response.error());
    return std::move(*response);
  });
}

}  // namespace certfleet::hub::ui
