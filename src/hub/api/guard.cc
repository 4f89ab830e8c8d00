#include "hub/api/guard.h"

#include <spdlog/spdlog.h>

namespace certfleet::hub::api {

http::Response ErrorResponse(const Error& error) {
  http::Response response = http::Response::FromError(error);
  if (error.code == ErrorCode::kUnauthenticated) {
    response.headers.Set("WWW-Authenticate", "Bearer realm=\"certfleet\"");
  }
  if (response.status >= 500) spdlog::error("hub api: {}", error.message);
  return response;
}

Result<Principal> Authenticate(ApiContext& ctx, const http::Request& request, Action action) {
  auto principal = ctx.auth.Authenticate(request.headers.Get("Authorization"));
  if (!principal) return principal;
  if (auto s = Authorize(*principal, action); !s) {
    spdlog::info("hub api: denied {} {} to token {}", request.method, request.path,
                 principal->token_id);
    return Fail(s.error());
  }
  return principal;
}

http::Handler Guard(ApiContext& ctx, Action action, ApiHandler handler) {
  return [&ctx, action, handler = std::move(handler)](const http::Request& request) {
    auto principal = Authenticate(ctx, request, action);
    if (!principal) return ErrorResponse(principal.error());
    auto response = handler(request, *principal);
    if (!response) return ErrorResponse(response.error());
    // Review 2026-12-06, F18: an authenticated answer (a new token's secret, customer data)
    // is never for a cache; handlers may still choose their own Cache-Control.
    if (!response->headers.Get("Cache-Control")) {
      response->headers.Set("Cache-Control", "no-store");
    }
    return std::move(*response);
  };
}

http::AsyncHandler GuardAsync(ApiContext& ctx, Action action, AsyncApiHandler handler) {
  return [&ctx, action, handler = std::move(handler)](const http::Request& request,
                                                      http::Responder responder) {
    auto principal = Authenticate(ctx, request, action);
    if (!principal) {
      responder.Send(ErrorResponse(principal.error()));
      return;
    }
    handler(request, *principal, std::move(responder));
  };
}

void AddRoute(http::Router& router, ApiContext& ctx, std::string_view method,
              std::string_view pattern, Action action, ApiFn fn) {
  router.Add(
      method, pattern,
      Guard(ctx, action, [&ctx, fn](const http::Request& request, const Principal& principal) {
        return fn(ctx, request, principal);
      }));
}

}  // namespace certfleet::hub::api
