// Deployments: per domain (one row per hosting machine) and per machine.
// Agent reports arrive at POST /api/v1/agent/deployments (agent.cc).
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<http::Response> ItemsResponse(ApiContext& ctx,
                                     const Result<std::vector<store::Deployment>>& rows) {
  if (!rows) return Fail(rows.error());
  NameCache names(ctx.store);
  json items = json::array();
  for (const auto& d : *rows) items.push_back(DeploymentJson(d, names));
  return http::Response::Json({{"items", items}});
}

Result<http::Response> ForDomain(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto d = FindDomain(ctx, req.PathParam("name"));
  if (!d) return Fail(d.error());
  return ItemsResponse(ctx, ctx.store.ListDomainDeployments(d->id));
}

Result<http::Response> ForMachine(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {"limit"}); !s) return Fail(s.error());
  auto m = FindMachine(ctx, req.PathParam("name"));
  if (!m) return Fail(m.error());
  auto limit = QueryInt(req, "limit", 100, 1, 1000);
  if (!limit) return Fail(limit.error());
  return ItemsResponse(ctx, ctx.store.ListMachineDeployments(m->id, *limit));
}

}  // namespace

void AddDeploymentRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/domains/{name}/deployments", Action::kRead, ForDomain);
  AddRoute(router, ctx, "GET", "/api/v1/machines/{name}/deployments", Action::kRead, ForMachine);
}

}  // namespace certfleet::hub::api
