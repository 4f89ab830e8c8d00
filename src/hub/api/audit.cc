// GET /api/v1/audit: who changed what, newest first, each entry also in words
// ("summary", "who", "changes"); filtered by time, person, customer, machine, domain or
// target (hub/service/audit_search.h), paged backwards with before=next_before.
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/routes.h"
#include "hub/auth.h"
#include "hub/service/audit_search.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<std::optional<TimePoint>> QueryTime(const http::Request& req, std::string_view name) {
  const std::string text = QueryString(req, name);
  if (text.empty()) return std::optional<TimePoint>();
  auto t = ParseRfc3339(text);
  if (!t) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter '" + std::string(name) +
                    "' must be an RFC 3339 time such as 2026-12-05T00:00:00Z, got \"" + text +
                    "\"");
  }
  return std::optional<TimePoint>(*t);
}

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal& p) {
  if (auto s = CheckQuery(req, {"target", "limit", "before", "since", "until", "actor", "domain",
                                "customer", "machine"});
      !s) {
    return Fail(s.error());
  }
  auto limit = QueryInt(req, "limit", 100, 1, 1000);
  auto before = QueryInt(req, "before", 0, 1, INT64_MAX);
  auto since = QueryTime(req, "since");
  auto until = QueryTime(req, "until");
  if (auto s = FirstError(limit, before, since, until); !s) return Fail(s.error());
  service::AuditFilter filter{*since,
                              *until,
                              QueryString(req, "actor"),
                              QueryString(req, "domain"),
                              QueryString(req, "customer"),
                              QueryString(req, "machine"),
                              QueryString(req, "target"),
                              !MaySeeTokenLifecycle(p.role)};
  auto page = service::SearchAudit(ctx.store, filter, *limit,
                                   *before > 0 ? std::optional<store::Id>(*before) : std::nullopt);
  if (!page) return Fail(page.error());
  json items = json::array();
  for (const auto& hit : page->hits) {
    json item = AuditJson(hit.entry);
    item["who"] = hit.activity.who;
    item["summary"] = hit.activity.text;
    item["changes"] = hit.activity.changes;
    items.push_back(std::move(item));
  }
  // The cursor for the next (older) page; null when there is nothing older to read.
  return http::Response::Json(
      {{"items", items},
       {"next_before", page->next_before ? json(*page->next_before) : json(nullptr)}});
}

}  // namespace

void AddAuditRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/audit", Action::kRead, List);
}

}  // namespace certfleet::hub::api
