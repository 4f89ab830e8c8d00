// GET /api/v1/domains (search, filter, sort, paging) and GET /api/v1/domains/{name}
// (the "domain show" view: status, current certificate, deployments, recent orders).
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "hub/api/domain_cursor.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<store::DomainSort> ParseSort(const std::string& text) {
  if (text.empty() || text == "name") return store::DomainSort::kName;
  if (text == "not_after") return store::DomainSort::kNotAfter;
  if (text == "updated_at") return store::DomainSort::kUpdatedAt;
  if (text == "status") return store::DomainSort::kStatus;
  if (text == "next_attempt_at") return store::DomainSort::kNextAttempt;
  return Fail(ErrorCode::kInvalidArgument,
              "query parameter 'sort' must be one of name, not_after, updated_at, status, "
              "next_attempt_at; got \"" +
                  text + "\"");
}

// Customer/machine/status/issuer filters and the expiry window.
Status ApplyFilters(ApiContext& ctx, const http::Request& req, store::DomainQuery& q) {
  if (auto name = QueryString(req, "customer"); !name.empty()) {
    auto customer = FindCustomer(ctx, name);
    if (!customer) return Fail(customer.error());
    q.customer_id = customer->id;
  }
  if (auto name = QueryString(req, "machine"); !name.empty()) {
    auto machine = FindMachine(ctx, name);
    if (!machine) return Fail(machine.error());
    q.machine_id = machine->id;
  }
  if (auto text = QueryString(req, "status"); !text.empty()) {
    auto status = store::ParseDomainStatus(text);
    if (!status) return Fail(status.error().WithContext("query parameter 'status'"));
    q.status = *status;
  }
  q.issuer = QueryString(req, "issuer");
  auto days = QueryInt(req, "expiring_within_days", -1, 0, 3650);
  if (!days) return Fail(days.error());
  if (*days >= 0) q.expiring_before = ctx.clock.Now() + std::chrono::hours(24 * *days);
  return Ok();
}

// The domain's JSON with its honest state and the whole days its certificate has left.
json WithState(const store::Domain& d, const service::DomainState& state, TimePoint now,
               NameCache& names) {
  json out = DomainJson(d, names);
  out["state"] = DomainStateJson(state);
  out["days_left"] = nullptr;
  if (d.current_not_after) {
    out["days_left"] =
        std::chrono::floor<std::chrono::hours>(*d.current_not_after - now).count() / 24;
  }
  return out;
}

Result<json> WithState(ApiContext& ctx, const store::Domain& d, NameCache& names) {
  const TimePoint now = ctx.clock.Now();
  auto state = service::LoadDomainState(ctx.store, d, now);
  if (!state) return Fail(state.error());
  return WithState(d, *state, now, names);
}

// `total` counts the matches up to this many; beyond it the page says "more than 10,000"
// (total_is_lower_bound) instead of counting a whole 100,000-domain fleet on every page.
constexpr std::int64_t kListCountLimit = 10'000;

Result<http::Response> List(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s =
          CheckQuery(req, {"q", "customer", "machine", "status", "issuer", "expiring_within_days",
                           "sort", "order", "limit", "offset", "after"});
      !s)
    return Fail(s.error());
  store::DomainQuery q;
  q.name_contains = service::DomainSearchText(QueryString(req, "q"));
  auto paging = ParsePaging(req);
  auto sort = ParseSort(QueryString(req, "sort"));
  if (auto s = FirstError(paging, sort); !s) return Fail(s.error());
  const std::string order = QueryString(req, "order");
  if (!order.empty() && order != "asc" && order != "desc") {
    return Fail(ErrorCode::kInvalidArgument, "query parameter 'order' must be asc or desc");
  }
  q.sort = *sort;
  q.descending = order == "desc";
  q.limit = paging->limit;
  q.offset = paging->offset;
  q.count_limit = kListCountLimit;
  if (auto after = req.QueryParam("after"); after && !after->empty()) {
    auto key = DecodeDomainCursor(*after, q.sort, q.descending, "after");
    if (!key) return Fail(key.error());
    q.after = std::move(*key);
  }
  if (auto s = ApplyFilters(ctx, req, q); !s) return Fail(s.error());
  auto page = ctx.store.ListDomains(q);
  if (!page) return Fail(page.error());
  NameCache names(ctx.store);
  names.Prefetch(page->items);
  const TimePoint now = ctx.clock.Now();
  auto states = service::LoadDomainStates(ctx.store, page->items, now);
  if (!states) return Fail(states.error());
  json items = json::array();
  for (std::size_t i = 0; i < page->items.size(); ++i) {
    items.push_back(WithState(page->items[i], (*states)[i], now, names));
  }
  json next = nullptr;
  if (page->more && !page->items.empty()) {
    next = EncodeDomainCursor(q.sort, q.descending, store::KeyOf(page->items.back(), q.sort));
  }
  return http::Response::Json({{"items", items},
                               {"total", page->total},
                               {"total_is_lower_bound", page->total_is_lower_bound},
                               {"limit", q.limit},
                               {"offset", q.offset},
                               {"next", next}});
}

Result<json> DeploymentsJson(ApiContext& ctx, store::Id domain_id, NameCache& names) {
  auto deployments = ctx.store.ListDomainDeployments(domain_id);
  if (!deployments) return Fail(deployments.error());
  json out = json::array();
  for (const auto& d : *deployments) out.push_back(DeploymentJson(d, names));
  return out;
}

Result<http::Response> Show(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto d = FindDomain(ctx, req.PathParam("name"));
  if (!d) return Fail(d.error());
  NameCache names(ctx.store);
  auto with_state = WithState(ctx, *d, names);
  if (!with_state) return Fail(with_state.error());
  json out = std::move(*with_state);
  out["current_certificate"] = nullptr;
  if (d->current_certificate_id) {
    auto cert = ctx.store.GetCertificate(*d->current_certificate_id);
    if (!cert) return Fail(cert.error());
    out["current_certificate"] = CertificateJson(*cert, /*with_chain=*/false);
  }
  auto deployments = DeploymentsJson(ctx, d->id, names);
  if (!deployments) return Fail(deployments.error());
  out["deployments"] = std::move(*deployments);
  auto orders = ctx.store.ListOrders(d->id, 5);
  if (!orders) return Fail(orders.error());
  out["orders"] = json::array();
  for (const auto& o : *orders) out["orders"].push_back(OrderJson(o));
  return http::Response::Json(out);
}

}  // namespace

void AddDomainReadRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/domains", Action::kRead, List);
  AddRoute(router, ctx, "GET", "/api/v1/domains/{name}", Action::kRead, Show);
}

}  // namespace certfleet::hub::api
