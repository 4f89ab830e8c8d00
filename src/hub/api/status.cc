// GET /api/v1/status: what needs attention across the fleet (the dashboard's computation,
// hub/service/fleet_status.h), for `certfleet status` and monitoring checks.
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
  auto status = service::LoadFleetStatus(ctx.store, ctx.clock.Now());
  if (!status) return Fail(status.error().WithContext("computing the fleet status"));
  return http::Response::Json(FleetStatusJson(*status));
}

}  // namespace

void AddStatusRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/status", Action::kRead, Status);
}

}  // namespace certfleet::hub::api
