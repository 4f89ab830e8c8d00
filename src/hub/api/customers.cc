// /api/v1/customers: create, list, get, update, delete.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

// "2027-03-31" → year_month_day; kInvalidArgument naming the field otherwise.
Result<std::chrono::year_month_day> ParseDate(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  std::chrono::year_month_day date{};
  if (std::sscanf(text.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3 && text.size() == 10) {
    date = std::chrono::year_month_day{std::chrono::year(y), std::chrono::month(m),
                                       std::chrono::day(d)};
  }
  if (!date.ok()) {
    return Fail(ErrorCode::kInvalidArgument,
                "field 'support_expires' must be a date YYYY-MM-DD, got \"" + text + "\"");
  }
  return date;
}

// Applies the body's fields to `c` (create and update share them).
Status ApplyCustomerFields(const JsonBody& body, store::Customer& c) {
  auto name = body.String("name");
  auto contact = body.String("contact");
  auto expires = body.String("support_expires");
  if (auto s = FirstError(name, contact, expires); !s) return s;
  if (*name) c.name = **name;
  if (*contact) c.contact = **contact;
  if (*expires) {
    auto date = ParseDate(**expires);
    if (!date) return Fail(date.error());
    c.support_expires = *date;
  } else if (body.IsNull("support_expires")) {
    c.support_expires.reset();
  }
  return ValidateName(c.name, "customer name");
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "contact", "support_expires"});
  if (!body) return Fail(body.error());
  if (auto name = body->RequiredString("name"); !name) return Fail(name.error());
  store::Customer c;
  if (auto s = ApplyCustomerFields(*body, c); !s) return Fail(s.error());
  auto created = ctx.store.CreateCustomer(p.ToActor(), c);
  if (!created) return Fail(created.error());
  return http::Response::Json(CustomerJson(*created), 201);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
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
  auto c = FindCustomer(ctx, req.PathParam("name"));
  if (!c) return Fail(c.error());
  return http::Response::Json(CustomerJson(*c));
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "contact", "support_expires", "version"});
  if (!body) return Fail(body.error());
  auto c = FindCustomer(ctx, req.PathParam("name"));
  if (!c) return Fail(c.error());
  auto version = body->Int("version");
  if (!version) return Fail(version.error());
  if (*version) c->version = **version;
  if (auto s = ApplyCustomerFields(*body, *c); !s) return Fail(s.error());
  auto updated = ctx.store.UpdateCustomer(p.ToActor(), *c);
  if (!updated) return Fail(updated.error());
  return http::Response::Json(CustomerJson(*updated));
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto c = FindCustomer(ctx, req.PathParam("name"));
  if (!c) return Fail(c.error());
  if (auto s = ctx.store.DeleteCustomer(p.ToActor(), c->id); !s) return Fail(s.error());
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
