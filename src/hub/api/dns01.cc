// /api/v1/domains/{name}/dns01: a domain's DNS-01 (issue 15) — which challenge answers each
// name, the CNAME to create for delegated names and the last check (GET), the check now
// (POST .../dns01/check), and the domain's challenge choice (PATCH).
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"
#include "hub/dns01_view.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

json ViewJson(const Dns01View& v) {
  json names = json::array();
  for (const issuance::NamePlan& entry : v.plan) {
    names.push_back({{"name", entry.name},
                     {"challenge", issuance::ChallengeWayName(entry.way)},
                     {"zone", entry.zone}});
  }
  json out{{"domain", v.domain}, {"issuer", v.issuer},         {"challenge", v.challenge},
           {"names", names},     {"plan_error", v.plan_error}, {"delegation", nullptr}};
  if (!v.delegated) return out;
  json records = json::array();
  for (const solver::DelegationRecord& r : v.records)
    records.push_back({{"name", r.name}, {"type", "CNAME"}, {"target", r.target}});
  json check = nullptr;
  if (!v.check_state.empty()) {
    check = {{"state", v.check_state},
             {"message", v.check_message},
             {"checked_at", TimeJson(v.checked_at)}};
  }
  out["delegation"] = {
      {"zone", v.zone}, {"label", v.label}, {"records", records}, {"last_check", check}};
  return out;
}

json CheckJson(const Dns01CheckOutcome& outcome) {
  json findings = json::array();
  for (const solver::DelegationFinding& f : outcome.check.findings) {
    findings.push_back({{"name", f.record.name},
                        {"target", f.record.target},
                        {"state", solver::DelegationStateName(f.state)},
                        {"found", f.found},
                        {"message", f.message}});
  }
  return {{"ok", outcome.check.ok()},
          {"problems", outcome.check.Problems()},
          {"findings", findings},
          {"issuance_requested", outcome.woken}};
}

Result<http::Response> Show(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto domain = FindDomain(ctx, req.PathParam("name"));
  if (!domain) return Fail(domain.error());
  auto view = BuildDns01View(ctx.store, ctx.config, ctx.dns01, *domain);
  if (!view) return Fail(view.error());
  return http::Response::Json(ViewJson(*view), 200);
}

Result<http::Response> Check(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto domain = FindDomain(ctx, req.PathParam("name"));
  if (!domain) return Fail(domain.error());
  auto outcome =
      CheckDomainDelegation(ctx.store, ctx.config, ctx.dns01, *domain, p.ToActor(), ctx.clock);
  if (!outcome) return Fail(outcome.error());
  if (outcome->woken) ctx.wake_issuance();
  return http::Response::Json(CheckJson(*outcome), 200);
}

Result<http::Response> Choose(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto body = JsonBody::Parse(req, {"challenge"});
  if (!body) return Fail(body.error());
  auto choice = body->RequiredString("challenge");
  if (!choice) return Fail(choice.error());
  auto domain = FindDomain(ctx, req.PathParam("name"));
  if (!domain) return Fail(domain.error());
  if (auto set = SetDomainChallenge(ctx.store, ctx.config, *domain, *choice); !set)
    return Fail(set.error());
  auto view = BuildDns01View(ctx.store, ctx.config, ctx.dns01, *domain);
  if (!view) return Fail(view.error());
  return http::Response::Json(ViewJson(*view), 200);
}

}  // namespace

void AddDns01Routes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/domains/{name}/dns01", Action::kRead, Show);
  AddRoute(router, ctx, "PATCH", "/api/v1/domains/{name}/dns01", Action::kManage, Choose);
  AddRoute(router, ctx, "POST", "/api/v1/domains/{name}/dns01/check", Action::kManage, Check);
}

}  // namespace certfleet::hub::api
