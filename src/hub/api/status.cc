// GET /api/v1/status: what needs attention across the fleet (the dashboard's computation,
// hub/service/fleet_status.h), for `certfleet status` and monitoring checks; and
// GET /api/v1/issuers.
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/routes.h"
#include "hub/service/fleet_status.h"

namespace certfleet::hub::api {
namespace {

Result<http::Response> Status(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto status = service::LoadFleetStatus(ctx.store, ctx.clock.Now(), ctx.config.issuers);
  if (!status) return Fail(status.error().WithContext("computing the fleet status"));
  return http::Response::Json(FleetStatusJson(*status));
}

// GET /api/v1/issuers: what a domain's "issuer" may be — the configured ACME issuers (no
// secrets: no EAB key) and "manual"; the first is the default for new domains.
Result<http::Response> Issuers(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& i : ctx.config.issuers) {
    items.push_back({{"name", i.name},
                     {"kind", "acme"},
                     {"directory", i.directory_url},
                     {"dns01", i.dns01},
                     {"default", items.empty()}});
  }
  items.push_back({{"name", store::kManualIssuer},
                   {"kind", "manual"},
                   {"directory", nullptr},
                   {"dns01", false},
                   {"default", ctx.config.issuers.empty()}});
  return http::Response::Json({{"items", items}});
}

}  // namespace

void AddStatusRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/status", Action::kRead, Status);
  AddRoute(router, ctx, "GET", "/api/v1/issuers", Action::kRead, Issuers);
}

}  // namespace certfleet::hub::api
