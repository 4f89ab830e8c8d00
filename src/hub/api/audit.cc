// GET /api/v1/audit?target=&limit=&before=: who changed what, newest first.
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {"target", "limit", "before"}); !s) return Fail(s.error());
  store::AuditQuery q;
  q.target = QueryString(req, "target");
  auto limit = QueryInt(req, "limit", 100, 1, 1000);
  auto before = QueryInt(req, "before", 0, 1, INT64_MAX);
  if (auto s = FirstError(limit, before); !s) return Fail(s.error());
  q.limit = *limit;
  if (*before > 0) q.before_id = *before;
  auto entries = ctx.store.ListAudit(q);
  if (!entries) return Fail(entries.error());
  json items = json::array();
  for (const auto& a : *entries) items.push_back(AuditJson(a));
  // The cursor for the next (older) page; null when this page was the last.
  json next = static_cast<std::int64_t>(entries->size()) == q.limit && !entries->empty()
                  ? json(entries->back().id)
                  : json(nullptr);
  return http::Response::Json({{"items", items}, {"next_before", next}});
}

}  // namespace

void AddAuditRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/audit", Action::kRead, List);
}

}  // namespace certfleet::hub::api
