// AdmitBody: which requests to the hub may send a body, and how large, decided from the
// request header alone — before any of the body is read (review 2026-12-06, F3: every
// connection could make the hub read and hold up to body_limit bytes before
// authentication).
//
//   /api/...     a valid bearer token; else 401 (the body is never read). Up to body_limit.
//   /ui/login    anyone (the sign-in form itself): up to kAnonymousFormLimit.
//   /ui/...      a signed-in session (ApiContext::ui_signed_in): up to body_limit; without
//                one up to kAnonymousFormLimit, so the UI can answer its own "sign in
//                again" page to a form posted after the session expired.
//   elsewhere    404: no route outside /api/ and /ui/ takes a body.
//
// Thread-safe (reads the store through the Authenticator). Installed as
// http::ServerOptions::admit_body by the App.
#pragma once

#include <cstddef>

#include "http/request.h"
#include "http/server.h"
#include "hub/api/context.h"

namespace certfleet::hub::api {

inline constexpr std::size_t kAnonymousFormLimit = 16 * 1024;

http::BodyAdmission AdmitBody(ApiContext& ctx, const http::Request& head);

}  // namespace certfleet::hub::api
