// /api/v1/machines: create, list, get, update, delete.
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Status ApplyMachineFields(ApiContext& ctx, const JsonBody& body, store::Machine& m) {
  auto name = body.String("name");
  auto address = body.String("address");
  auto customer = body.String("customer");
  if (auto s = FirstError(name, address, customer); !s) return s;
  if (*name) m.name = **name;
  if (*address) m.address = **address;
  if (*customer || body.IsNull("customer")) {
    auto id = CustomerIdOf(ctx, *customer);
    if (!id) return Fail(id.error());
    m.customer_id = *id;
  }
  return ValidateName(m.name, "machine name");
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "address", "customer"});
  if (!body) return Fail(body.error());
  if (auto name = body->RequiredString("name"); !name) return Fail(name.error());
  store::Machine m;
  if (auto s = ApplyMachineFields(ctx, *body, m); !s) return Fail(s.error());
  auto created = ctx.store.CreateMachine(p.ToActor(), m);
  if (!created) return Fail(created.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*created, names), 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto paging = ParsePaging(req);
  if (!paging) return Fail(paging.error());
  store::NameQuery q{QueryString(req, "q"), paging->limit, paging->offset};
  auto page = ctx.store.ListMachines(q);
  if (!page) return Fail(page.error());
  NameCache names(ctx.store);
  json items = json::array();
  for (const auto& m : page->items) items.push_back(MachineJson(m, names));
  return http::Response::Json(
      {{"items", items}, {"total", page->total}, {"limit", q.limit}, {"offset", q.offset}});
}

Result<http::Response> Get(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto m = FindMachine(ctx, req.PathParam("name"));
  if (!m) return Fail(m.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*m, names));
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "address", "customer", "version"});
  if (!body) return Fail(body.error());
  auto m = FindMachine(ctx, req.PathParam("name"));
  if (!m) return Fail(m.error());
  auto version = body->Int("version");
  if (!version) return Fail(version.error());
  if (*version) m->version = **version;
  if (auto s = ApplyMachineFields(ctx, *body, *m); !s) return Fail(s.error());
  auto updated = ctx.store.UpdateMachine(p.ToActor(), *m);
  if (!updated) return Fail(updated.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*updated, names));
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto m = FindMachine(ctx, req.PathParam("name"));
  if (!m) return Fail(m.error());
  if (auto s = ctx.store.DeleteMachine(p.ToActor(), m->id); !s) return Fail(s.error());
  return http::Response::NoContent();
}

}  // namespace

void AddMachineRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/machines", Action::kManage, Create);
  AddRoute(router, ctx, "GET", "/api/v1/machines", Action::kRead, List);
  AddRoute(router, ctx, "GET", "/api/v1/machines/{name}", Action::kRead, Get);
  AddRoute(router, ctx, "PATCH", "/api/v1/machines/{name}", Action::kManage, Update);
  AddRoute(router, ctx, "DELETE", "/api/v1/machines/{name}", Action::kManage, Delete);
}

}  // namespace certfleet::hub::api
