// The page frame (header, navigation, sign-out) and the response shapes of the web UI.
//
// Every HTML response carries a strict Content-Security-Policy (scripts, styles and images
// only from this hub; no inline script, no framing), nosniff, no-referrer and no-store.
// `body` arguments are HTML that the caller has built with Escape (html.h); titles and other
// plain strings are escaped here.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "http/request.h"
#include "http/response.h"
#include "hub/ui/ui_context.h"

namespace certfleet::hub::ui {

// A whole page. `viewer` nullptr: the signed-out frame (no navigation). `nav` names the
// active navigation entry ("dashboard", "domains", "customers", "machines").
std::string Page(const Viewer* viewer, std::string_view title, std::string_view nav,
                 std::string_view body);

// text/html with the security headers above.
http::Response HtmlResponse(std::string html, int status = 200);
// 303 See Other to `location` (after a POST, or to the sign-in page).
http::Response Redirect(std::string_view location);

// True for requests made by htmx that want a fragment (not a history restore).
bool IsHtmx(const http::Request& request);

// An error as the person sees it: a page with the message for a normal request; for
// htmx, the message swapped into the page's #flash area.
http::Response ErrorResponse(const http::Request& request, const Viewer* viewer,
                             const Error& error);

// The hidden CSRF field for a form.
std::string CsrfField(const Session& session);

}  // namespace certfleet::hub::ui
