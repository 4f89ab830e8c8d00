// /api/v1/tokens (admin only): create (the secret is returned once), list, revoke, and
// rotate a machine's agent token. Writes: hub/service/tokens.h.
#include "hub/service/tokens.h"

#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

json IssuedJson(ApiContext& ctx, const IssuedToken& issued) {
  NameCache names(ctx.store);
  json out = TokenJson(issued.token, names);
  out["secret"] = issued.secret;  // shown once; the hub keeps only its hash
  return out;
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "role", "machine"});
  if (!body) return Fail(body.error());
  auto name = body->String("name");
  auto role = body->String("role");
  auto machine = body->String("machine");
  if (auto s = FirstError(name, role, machine); !s) return Fail(s.error());
  auto s = Services(ctx);
  auto issued = service::CreateToken(
      s, p.ToActor(), {name->value_or(""), role->value_or(""), machine->value_or("")});
  if (!issued) return Fail(issued.error());
  return http::Response::Json(IssuedJson(ctx, *issued), 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
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
  auto s = Services(ctx);
  if (auto st = service::RevokeToken(s, p.ToActor(), *id); !st) return Fail(st.error());
  return http::Response::NoContent();
}

// {"machine": "web-1", "name": "...", "revoke_old": true}: a new agent token for the
// machine; with revoke_old its other agent tokens are revoked at once.
Result<http::Response> Rotate(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"machine", "name", "revoke_old"});
  if (!body) return Fail(body.error());
  auto machine = body->RequiredString("machine");
  auto name = body->String("name");
  auto revoke_old = body->Bool("revoke_old");
  if (auto s = FirstError(machine, name, revoke_old); !s) return Fail(s.error());
  auto s = Services(ctx);
  auto rotated = service::RotateAgentToken(
      s, p.ToActor(), *machine, name->value_or(*machine + " agent"), revoke_old->value_or(false));
  if (!rotated) return Fail(rotated.error());
  json out = IssuedJson(ctx, rotated->issued);
  out["revoked"] = rotated->revoked;
  out["previous"] = rotated->old;
  return http::Response::Json(out, 201);
}

}  // namespace

void AddTokenRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/tokens", Action::kManageTokens, Create);
  AddRoute(router, ctx, "GET", "/api/v1/tokens", Action::kManageTokens, List);
  AddRoute(router, ctx, "DELETE", "/api/v1/tokens/{id}", Action::kManageTokens, Revoke);
  AddRoute(router, ctx, "POST", "/api/v1/tokens/rotate", Action::kManageTokens, Rotate);
}

}  // namespace certfleet::hub::api
