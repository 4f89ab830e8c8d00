// The session cookie and CSRF checks of the web UI.
//
// Every state-changing request (POST) must carry the session's CSRF token, either in the
// form field "csrf_token" (plain forms) or in the "X-CSRF-Token" header (htmx, set once on
// <body hx-headers>). As a second line, a request whose Origin names another site, or
// whose Sec-Fetch-Site says "cross-site", is refused even with a token. The cookie is
// SameSite=Strict, so browsers do not send it cross-site in the first place.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "http/request.h"
#include "hub/ui/form.h"
#include "hub/ui/session_store.h"

namespace certfleet::hub::ui {

inline constexpr std::string_view kSessionCookie = "cf_session";
inline constexpr std::string_view kCsrfField = "csrf_token";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// The value of cookie `name` from the request's Cookie header(s); "" when absent.
std::string CookieValue(const http::Request& request, std::string_view name);

// True when the browser reached the hub over HTTPS: the documented nginx front sends
// "X-Forwarded-Proto: https". Only used to add restrictions (the cookie's Secure flag), so a
// forged header cannot weaken anything.
bool CameOverHttps(const http::Request& request);

// Set-Cookie values: the session cookie (HttpOnly, SameSite=Strict, Path=/ui, and Secure
// when `secure`) for `id` lasting `max_age`, and one that deletes it.
std::string SessionCookie(std::string_view id, Duration max_age, bool secure);
std::string ClearedSessionCookie(bool secure);

// kPermissionDenied when the request comes from another site: an Origin other than this
// host, or the browser's own Sec-Fetch-Site verdict "cross-site".
Status CheckSameOrigin(const http::Request& request);

// OK when the request carries `session`'s CSRF token (constant-time compare) and does not
// come from another origin; kPermissionDenied saying what to do otherwise.
Status CheckCsrf(const http::Request& request, const FormValues& form, const Session& session);

}  // namespace certfleet::hub::ui
