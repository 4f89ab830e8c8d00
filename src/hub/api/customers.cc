// /api/v1/customers: create, list, get, update, delete (writes: hub/service/customers.h).
#include "hub/service/customers.h"

#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

// The body's fields as the service's input; "support_expires": null clears the date.
Result<service::CustomerInput> InputOf(const JsonBody& body) {
  auto name = body.String("name");
  auto contact = body.String("contact");
  auto expires = body.String("support_expires");
  auto version = body.Int("version");
  if (auto s = FirstError(name, contact, expires, version); !s) return Fail(s.error());
  return service::CustomerInput{
      *name, *contact, body.IsNull("support_expires") ? std::optional<std::string>("") : *expires,
      *version};
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "contact", "support_expires"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto created = service::CreateCustomer(s, p.ToActor(), *in);
  if (!created) return Fail(created.error());
  return http::Response::Json(CustomerJson(*created), 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {"q", "limit", "offset"}); !s) return Fail(s.error());
  store::NameQuery q;
  q.name_contains = QueryString(req, "q");
  auto paging = ParsePaging(req);
  if (!paging) return Fail(paging.error());
  q.limit = paging->limit;
  q.offset = paging->offset;
  auto page = ctx.store.ListCustomers(q);
  if (!page) return Fail(page.error());
  json items = json::array();
  for (const auto& c : page->items) items.push_back(CustomerJson(c));
  return http::Response::Json(
      {{"items", items}, {"total", page->total}, {"limit", q.limit}, {"offset", q.offset}});
}

Result<http::Response> Get(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto c = FindCustomer(ctx, req.PathParam("name"));
  if (!c) return Fail(c.error());
  return http::Response::Json(CustomerJson(*c));
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "contact", "support_expires", "version"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto updated = service::UpdateCustomer(s, p.ToActor(), req.PathParam("name"), *in);
  if (!updated) return Fail(updated.error());
  return http::Response::Json(CustomerJson(*updated));
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto s = Services(ctx);
  if (auto st = service::DeleteCustomer(s, p.ToActor(), req.PathParam("name")); !st) {
    return Fail(st.error());
  }
  return http::Response::NoContent();
}

}  // namespace

void AddCustomerRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/customers", Action::kManage, Create);
  AddRoute(router, ctx, "GET", "/api/v1/customers", Action::kRead, List);
  AddRoute(router, ctx, "GET", "/api/v1/customers/{name}", Action::kRead, Get);
  AddRoute(router, ctx, "PATCH", "/api/v1/customers/{name}", Action::kManage, Update);
  AddRoute(router, ctx, "DELETE", "/api/v1/customers/{name}", Action::kManage, Delete);
}

}  // namespace certfleet::hub::api
