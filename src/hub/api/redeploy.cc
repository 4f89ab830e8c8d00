// Redeploy requests (support; hub/service/redeploy.h):
//   POST /api/v1/machines/{name}/redeploy   {"domain": optional}  one machine
//   POST /api/v1/redeploy                   {"domain": optional}  every machine (hosting it)
// Answer 202: {"domain": "" | name, "machines": [names asked]}. The agents deploy the
// certificates the hub already has; nothing is ordered from the CA.
#include "hub/service/redeploy.h"

#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

Result<http::Response> Redeploy(ApiContext& ctx, const http::Request& req, const Principal& p,
                                std::string machine) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  std::optional<std::string> domain;
  if (!req.body.empty()) {
    auto body = JsonBody::Parse(req, {"domain"});
    if (!body) return Fail(body.error());
    auto field = body->String("domain");
    if (!field) return Fail(field.error());
    domain = *field;
  }
  auto s = Services(ctx);
  auto r = service::RequestRedeploy(s, p.ToActor(), {std::move(machine), domain.value_or("")});
  if (!r) return Fail(r.error());
  return http::Response::Json({{"domain", r->domain}, {"machines", r->machines}}, 202);
}

Result<http::Response> OneMachine(ApiContext& ctx, const http::Request& req, const Principal& p) {
  const std::string machine(req.PathParam("name"));
  return Redeploy(ctx, req, p, machine);
}

Result<http::Response> Everywhere(ApiContext& ctx, const http::Request& req, const Principal& p) {
  return Redeploy(ctx, req, p, "");
}

}  // namespace

void AddRedeployRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/machines/{name}/redeploy", Action::kManage, OneMachine);
  AddRoute(router, ctx, "POST", "/api/v1/redeploy", Action::kManage, Everywhere);
}

}  // namespace certfleet::hub::api
