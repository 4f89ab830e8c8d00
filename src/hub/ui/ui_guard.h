// Registration helpers that put every UI route behind the session, CSRF and role checks.
//
//   AddPage(router, ui, "/ui/domains", DomainsPage);          // GET, signed in, any role
//   AddAction(router, ui, "/ui/domains/{name}/issue", Issue);  // POST, CSRF, support/admin
//
// Not signed in (no cookie, unknown or expired session, or a token revoked since sign-in):
// pages redirect to /ui/login (htmx requests get HX-Redirect); actions are refused too.
// An action without the session's CSRF token, or from a readonly token, answers 403 and
// changes nothing. Handler errors become ErrorResponse (layout.h).
#pragma once

#include <string_view>

#include "common/error.h"
#include "http/router.h"
#include "hub/ui/form.h"
#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

using PageFn = Result<http::Response> (*)(UiContext&, const http::Request&, const Viewer&);
using ActionFn = Result<http::Response> (*)(UiContext&, const http::Request&, const Viewer&,
                                            const FormValues&);

void AddPage(http::Router& router, const UiPtr& ui, std::string_view pattern, PageFn fn);
// `action` is the permission the POST needs (Action::kManage for every change today).
void AddAction(http::Router& router, const UiPtr& ui, std::string_view pattern, ActionFn fn,
               Action action = Action::kManage);

// The signed-in viewer of `request`, or nullopt (also ends a session whose token was
// revoked). Exposed for the sign-in page, which redirects signed-in people onward.
std::optional<Viewer> CurrentViewer(UiContext& ui, const http::Request& request);

}  // namespace certfleet::hub::ui
