// Routes without authentication: GET /healthz and the HTTP-01 responder.
#include <memory>
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/routes.h"
#include "hub/api/write_probe.h"

namespace certfleet::hub::api {
namespace {

// RFC 8555 §8.3: the token is base64url; anything else cannot be pending.
bool IsChallengeToken(std::string_view token) {
  if (token.empty() || token.size() > 256) return false;
  for (char c : token) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

http::Response Challenge(ApiContext& ctx, std::string_view token) {
  if (!IsChallengeToken(token)) return http::Response::Text("not found\n", 404);
  auto key_authorization = ctx.store.FindPendingChallenge(token, ctx.clock.Now());
  if (!key_authorization && key_authorization.error().code == ErrorCode::kNotFound) {
    // Answers handed in by ACME clients outside the hub (certbot's hooks; issue 19).
    key_authorization = ctx.store.FindExternalChallenge(token, ctx.clock.Now());
  }
  if (!key_authorization) {
    if (key_authorization.error().code == ErrorCode::kNotFound) {
      return http::Response::Text("not found\n", 404);
    }
    return ErrorResponse(key_authorization.error());
  }
  return http::Response::Text(std::move(*key_authorization));
}

// Review 2026-12-06, F13: /healthz is public, and its detail (the revision counter, store
// errors, the broker's host, vhost and exchange) is for the hub's people only. Without a
// token that may read (readonly, support, admin) it says only the status and which part is
// unhealthy; a bad or missing token is not an error here (load balancers send none).
bool MayReadDetail(ApiContext& ctx, const http::Request& request) {
  if (!request.headers.Get("Authorization")) return false;
  return Authenticate(ctx, request, Action::kRead).has_value();
}

// A store that cannot answer (the database is down), a store that reads but cannot
// write, or a broken side part such as the RabbitMQ relay makes the hub "degraded" with
// 200 and the reason under "components": the process itself is fine — the API answers
// 503 naming the database, what still works keeps being served, and the hub recovers by
// itself once the database is back — so a liveness probe must not restart it, while
// monitoring sees that something needs a person.
http::Response Health(ApiContext& ctx, WriteProbe& probe, const http::Request& request) {
  const bool detailed = MayReadDetail(ctx, request);
  nlohmann::json body = {{"status", "ok"}};
  const auto add = [&](const std::string& name, bool healthy, const std::string& detail) {
    body["components"][name] = {{"healthy", healthy}};
    if (detailed) body["components"][name]["detail"] = detail;
    if (!healthy) body["status"] = "degraded";
  };
  auto revision = ctx.store.MaxRevision();
  Status store = revision ? probe.Check() : Status(Fail(revision.error()));
  if (revision && detailed) body["revision"] = *revision;
  if (!store) {
    add("store", false, (revision ? "cannot write: " : "cannot read: ") + store.error().message);
  }
  for (const ComponentHealth& part : ctx.component_health()) {
    add(part.name, part.healthy, part.detail);
  }
  return http::Response::Json(body);
}

}  // namespace

void AddPublicRoutes(http::Router& router, ApiContext& ctx) {
  auto probe = std::make_shared<WriteProbe>(ctx.store);
  router.Add("GET", "/healthz",
             [&ctx, probe](const http::Request& req) { return Health(ctx, *probe, req); });
  AddChallengeRoutes(router, ctx);
}

void AddChallengeRoutes(http::Router& router, ApiContext& ctx) {
  // Every plain token takes the fast path (no Request built: this endpoint is hit by every
  // validation the CA makes, through nginx on every customer host); the route catches the rest.
  router.AddSegmentFastPath("/.well-known/acme-challenge/",
                            [&ctx](std::string_view token) { return Challenge(ctx, token); });
  router.Add("GET", "/.well-known/acme-challenge/{token}",
             [&ctx](const http::Request& req) { return Challenge(ctx, req.PathParam("token")); });
}

}  // namespace certfleet::hub::api
