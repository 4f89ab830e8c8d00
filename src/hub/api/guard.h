// Guard: wraps an API handler with authentication, authorization and error mapping.
//
//   router.Add("GET", "/api/v1/customers", Guard(ctx, Action::kRead, ListCustomers));
//
// The wrapped handler returns Result<Response>; an Error becomes the JSON error shape of
// http/response.h with the status of http::StatusForError (401, 403, 404, 409, ...).
// Denied requests are logged at info level with the token id, never the secret.
#pragma once

#include <functional>

#include "common/error.h"
#include "http/router.h"
#include "hub/api/context.h"
#include "hub/auth.h"

namespace certfleet::hub::api {

using ApiHandler = std::function<Result<http::Response>(const http::Request&, const Principal&)>;
using AsyncApiHandler =
    std::function<void(const http::Request&, const Principal&, http::Responder)>;

http::Handler Guard(ApiContext& ctx, Action action, ApiHandler handler);
http::AsyncHandler GuardAsync(ApiContext& ctx, Action action, AsyncApiHandler handler);

// The common handler shape of the resource files, registered with AddRoute.
using ApiFn = Result<http::Response> (*)(ApiContext&, const http::Request&, const Principal&);
void AddRoute(http::Router& router, ApiContext& ctx, std::string_view method,
              std::string_view pattern, Action action, ApiFn fn);

// Resolves and authorizes the caller of `request`.
Result<Principal> Authenticate(ApiContext& ctx, const http::Request& request, Action action);

// The Response for an error, with WWW-Authenticate on 401.
http::Response ErrorResponse(const Error& error);

}  // namespace certfleet::hub::api
