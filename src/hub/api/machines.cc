// /api/v1/machines: create, list, get, update, delete (writes: hub/service/customers.h).
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"
#include "hub/service/customers.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

// The body's fields as the service's input; "customer": null clears the customer.
Result<service::MachineInput> InputOf(const JsonBody& body) {
  auto name = body.String("name");
  auto address = body.String("address");
  auto customer = body.String("customer");
  auto version = body.Int("version");
  if (auto s = FirstError(name, address, customer, version); !s) return Fail(s.error());
  return service::MachineInput{*name, *address,
                               body.IsNull("customer") ? std::optional<std::string>("") : *customer,
                               *version};
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "address", "customer"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto created = service::CreateMachine(s, p.ToActor(), *in);
  if (!created) return Fail(created.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*created, names), 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {"q", "limit", "offset"}); !s) return Fail(s.error());
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
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto m = FindMachine(ctx, req.PathParam("name"));
  if (!m) return Fail(m.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*m, names));
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "address", "customer", "version"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto updated = service::UpdateMachine(s, p.ToActor(), req.PathParam("name"), *in);
  if (!updated) return Fail(updated.error());
  NameCache names(ctx.store);
  return http::Response::Json(MachineJson(*updated, names));
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto s = Services(ctx);
  if (auto st = service::DeleteMachine(s, p.ToActor(), req.PathParam("name")); !st) {
    return Fail(st.error());
  }
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
