// /api/v1/tokens (admin only): create (the secret is returned once), list, revoke.
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<std::optional<store::Id>> MachineOf(ApiContext& ctx, store::Role role,
                                           const std::optional<std::string>& machine) {
  const bool agent = role == store::Role::kAgent;
  if (agent && !machine) {
    return Fail(ErrorCode::kInvalidArgument, "field 'machine' is required for role agent");
  }
  if (!agent && machine) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'machine' is only for role agent (agent tokens are bound to a machine)");
  }
  if (!machine) return std::optional<store::Id>();
  auto m = FindMachine(ctx, *machine);
  if (!m) return Fail(m.error());
  return std::optional<store::Id>(m->id);
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "role", "machine"});
  if (!body) return Fail(body.error());
  auto name = body->RequiredString("name");
  auto role_name = body->RequiredString("role");
  auto machine = body->String("machine");
  if (auto s = FirstError(name, role_name, machine); !s) return Fail(s.error());
  if (auto s = ValidateName(*name, "token name"); !s) return Fail(s.error());
  auto role = store::ParseRole(*role_name);
  if (!role) return Fail(role.error().WithContext("field 'role'"));
  auto machine_id = MachineOf(ctx, *role, *machine);
  if (!machine_id) return Fail(machine_id.error());
  auto issued = IssueToken(ctx.store, p.ToActor(), *name, *role, *machine_id);
  if (!issued) return Fail(issued.error());
  NameCache names(ctx.store);
  json out = TokenJson(issued->token, names);
  out["secret"] = issued->secret;  // shown once; the hub keeps only its hash
  return http::Response::Json(out, 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request&, const Principal&) {
  auto tokens = ctx.store.ListTokens();
  if (!tokens) return Fail(tokens.error());
  NameCache names(ctx.store);
  json items = json::array();
  for (const auto& t : *tokens) items.push_back(TokenJson(t, names));
  return http::Response::Json({{"items", items}});
}

Result<http::Response> Revoke(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto id = ParseId(req.PathParam("id"), "token id");
  if (!id) return Fail(id.error());
  if (auto s = ctx.store.RevokeToken(p.ToActor(), *id, ctx.clock.Now()); !s) {
    return Fail(s.error());
  }
  return http::Response::NoContent();
}

}  // namespace

void AddTokenRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/tokens", Action::kManageTokens, Create);
  AddRoute(router, ctx, "GET", "/api/v1/tokens", Action::kManageTokens, List);
  AddRoute(router, ctx, "DELETE", "/api/v1/tokens/{id}", Action::kManageTokens, Revoke);
}

}  // namespace certfleet::hub::api
