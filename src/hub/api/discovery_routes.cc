// Discovery, adoption, imports and external challenges for people (issue 19):
//   GET    /api/v1/inventory                    names found on the fleet, grouped
//          ?state=managed|drifting|unmanaged &conflicts=1 &expiring_days=N &search=TEXT
//   GET    /api/v1/inventory/names/{name}       one name, with what each machine has
//   POST   /api/v1/inventory/names/{name}/adopt {"issuer", "customer", "apply", "reload_free"}
//   GET    /api/v1/inventory/machines/{name}    a machine's latest report
//   GET    /api/v1/uploads                      upload requests still pending
//   POST   /api/v1/import                       a certificate found on a host (import_service.h)
//   POST   /api/v1/challenges/http-01           {"identifier", "token", "key_authorization",
//                                                "ttl_seconds"}: the hub answers it
//   DELETE /api/v1/challenges/http-01/{token}
//   GET    /api/v1/challenges/http-01
#include <nlohmann/json.hpp>

#include "hub/api/discovery_json.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/routes.h"
#include "hub/discovery/external_challenges.h"
#include "hub/service/lookup.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<http::Response> Inventory(ApiContext& ctx, const http::Request& req, const Principal&) {
  discovery::FleetQuery q;
  q.state = QueryString(req, "state");
  if (!q.state.empty() && q.state != "managed" && q.state != "drifting" && q.state != "unmanaged") {
    return Fail(ErrorCode::kInvalidArgument, "state: must be managed, drifting or unmanaged");
  }
  q.conflicts_only = QueryString(req, "conflicts") == "1";
  q.name_contains = QueryString(req, "search");
  if (!QueryString(req, "expiring_days").empty()) {
    auto days = QueryInt(req, "expiring_days", 30, 0, 3650);
    if (!days) return Fail(days.error());
    q.expiring_within_days = static_cast<int>(*days);
  }
  auto s = Services(ctx);
  auto groups = discovery::FleetView(s, ctx.store, q);
  if (!groups) return Fail(groups.error());
  json items = json::array();
  for (const auto& g : *groups) items.push_back(NameGroupJson(g, false));
  return http::Response::Json({{"items", items}});
}

Result<http::Response> Name(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto s = Services(ctx);
  auto group = discovery::NameView(s, ctx.store, std::string(req.PathParam("name")));
  if (!group) return Fail(group.error());
  return http::Response::Json(NameGroupJson(*group, true));
}

Result<http::Response> Adopt(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"issuer", "customer", "apply", "reload_free"});
  if (!body) return Fail(body.error());
  auto issuer = body->String("issuer");
  auto customer = body->String("customer");
  auto apply = BodyBool(req, "apply");
  auto reload_free = BodyBool(req, "reload_free");
  if (auto e = FirstError(issuer, customer, apply, reload_free); !e) return Fail(e.error());
  auto s = Services(ctx);
  auto outcome = discovery::Adopt(
      s, ctx.store, p.ToActor(),
      {std::string(req.PathParam("name")), issuer->value_or(""), customer->value_or(""), *apply,
       *reload_free ? discovery::SiteLines::kReloadFree : discovery::SiteLines::kAgentFiles});
  if (!outcome) return Fail(outcome.error());
  return http::Response::Json(AdoptJson(*outcome), *apply && !outcome->domain_existed ? 201 : 200);
}

Result<http::Response> MachineReport(ApiContext& ctx, const http::Request& req, const Principal&) {
  auto machine = service::FindMachine(ctx.store, req.PathParam("name"));
  if (!machine) return Fail(machine.error());
  auto inventory = ctx.store.GetInventory(machine->id);
  if (!inventory) return Fail(inventory.error());
  return http::Response::Json({{"machine", machine->name},
                               {"reported_at", TimeJson(inventory->reported_at)},
                               {"changed_at", TimeJson(inventory->changed_at)},
                               {"digest", inventory->digest},
                               {"report", json::parse(inventory->body_json)}});
}

Result<http::Response> PendingUploads(ApiContext& ctx, const http::Request&, const Principal&) {
  auto uploads = ctx.store.ListPendingUploads(std::nullopt);
  if (!uploads) return Fail(uploads.error());
  json items = json::array();
  for (const auto& u : *uploads) items.push_back(UploadJson(u));
  return http::Response::Json({{"items", items}});
}

Result<http::Response> Import(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"name", "sans", "key_type", "issuer", "machines", "customer",
                                    "chain_pem", "key_pem", "apply"});
  if (!body) return Fail(body.error());
  auto name = body->RequiredString("name");
  auto sans = body->StringList("sans");
  auto key_type = body->String("key_type");
  auto issuer = body->String("issuer");
  auto machines = body->StringList("machines");
  auto customer = body->String("customer");
  auto chain = body->RequiredString("chain_pem");
  auto key = body->RequiredString("key_pem");
  auto apply = BodyBool(req, "apply");
  if (auto e = FirstError(name, sans, key_type, issuer, machines, customer, chain, key, apply);
      !e) {
    return Fail(e.error());
  }
  discovery::ImportInput in{*name,
                            sans->value_or(std::vector<std::string>{}),
                            key_type->value_or(""),
                            issuer->value_or(""),
                            machines->value_or(std::vector<std::string>{}),
                            customer->value_or(""),
                            *chain,
                            *key,
                            *apply};
  auto s = Services(ctx);
  auto outcome = discovery::ImportCertificate(s, p.ToActor(), in);
  if (!outcome) return Fail(outcome.error());
  return http::Response::Json(ImportJson(*outcome));
}

Result<http::Response> PutChallenge(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"identifier", "token", "key_authorization", "ttl_seconds"});
  if (!body) return Fail(body.error());
  auto identifier = body->RequiredString("identifier");
  auto token = body->RequiredString("token");
  auto key_authorization = body->RequiredString("key_authorization");
  auto ttl = body->Int("ttl_seconds");
  if (auto e = FirstError(identifier, token, key_authorization, ttl); !e) return Fail(e.error());
  auto s = Services(ctx);
  auto put = discovery::PutExternalChallenge(s, ctx.store, ctx.store, p.ToActor(),
                                             {*identifier, *token, *key_authorization, *ttl});
  if (!put) return Fail(put.error());
  return http::Response::Json(ExternalChallengeJson(*put), 201);
}

Result<http::Response> DeleteChallenge(ApiContext& ctx, const http::Request& req,
                                       const Principal& p) {
  if (auto s = ctx.store.DeleteExternalChallenge(p.ToActor(), req.PathParam("token")); !s) {
    return Fail(s.error());
  }
  return http::Response::NoContent();
}

Result<http::Response> ListChallenges(ApiContext& ctx, const http::Request&, const Principal&) {
  auto list = ctx.store.ListExternalChallenges(ctx.clock.Now());
  if (!list) return Fail(list.error());
  json items = json::array();
  for (const auto& c : *list) items.push_back(ExternalChallengeJson(c));
  return http::Response::Json({{"items", items}});
}

}  // namespace

void AddDiscoveryRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/inventory", Action::kRead, Inventory);
  AddRoute(router, ctx, "GET", "/api/v1/inventory/names/{name}", Action::kRead, Name);
  AddRoute(router, ctx, "POST", "/api/v1/inventory/names/{name}/adopt", Action::kManage, Adopt);
  AddRoute(router, ctx, "GET", "/api/v1/inventory/machines/{name}", Action::kRead, MachineReport);
  AddRoute(router, ctx, "GET", "/api/v1/uploads", Action::kRead, PendingUploads);
  AddRoute(router, ctx, "POST", "/api/v1/import", Action::kManage, Import);
  AddRoute(router, ctx, "POST", "/api/v1/challenges/http-01", Action::kManage, PutChallenge);
  AddRoute(router, ctx, "DELETE", "/api/v1/challenges/http-01/{token}", Action::kManage,
           DeleteChallenge);
  AddRoute(router, ctx, "GET", "/api/v1/challenges/http-01", Action::kRead, ListChallenges);
  AddDiscoveryAgentRoutes(router, ctx);
}

}  // namespace certfleet::hub::api
