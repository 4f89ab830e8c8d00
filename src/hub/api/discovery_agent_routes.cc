// The agent's discovery endpoints (issue 19), scoped to the machine of the agent token:
//   POST /api/v1/agent/inventory      the discovery report (hub/discovery/inventory_report.h);
//                                     answers {"changed", "uploads": [...]}
//   GET  /api/v1/agent/uploads        the uploads the hub wants from this machine
//   POST /api/v1/agent/uploads/{id}   {"chain_pem", "key_pem"} or {"error": why not}
#include <nlohmann/json.hpp>

#include "hub/api/discovery_json.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/routes.h"
#include "hub/service/lookup.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<store::Id> MachineOf(const Principal& p) {
  if (!p.machine_id) {
    return Fail(ErrorCode::kPermissionDenied,
                "token " + std::to_string(p.token_id) + " is not bound to a machine");
  }
  return *p.machine_id;
}

json Uploads(const std::vector<store::UploadRequest>& uploads) {
  json items = json::array();
  for (const auto& u : uploads) items.push_back(UploadJson(u));
  return items;
}

Result<http::Response> Report(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  auto s = Services(ctx);
  auto outcome = discovery::ReceiveInventory(s, ctx.store, p.ToActor(), *machine, req.body);
  if (!outcome) return Fail(outcome.error());
  return http::Response::Json(
      {{"changed", outcome->changed}, {"uploads", Uploads(outcome->uploads)}});
}

Result<http::Response> Pending(ApiContext& ctx, const http::Request&, const Principal& p) {
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  auto uploads = ctx.store.ListPendingUploads(*machine);
  if (!uploads) return Fail(uploads.error());
  return http::Response::Json({{"uploads", Uploads(*uploads)}});
}

Result<http::Response> Upload(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto machine = MachineOf(p);
  if (!machine) return Fail(machine.error());
  auto id = service::ParseId(req.PathParam("id"), "upload request id");
  if (!id) return Fail(id.error());
  auto body = JsonBody::Parse(req, {"chain_pem", "key_pem", "error"});
  if (!body) return Fail(body.error());
  auto chain = body->String("chain_pem");
  auto key = body->String("key_pem");
  auto declined = body->String("error");
  if (auto e = FirstError(chain, key, declined); !e) return Fail(e.error());
  if (declined->value_or("").empty() && (!*chain || !*key)) {
    return Fail(ErrorCode::kInvalidArgument, "give chain_pem and key_pem, or error");
  }
  auto s = Services(ctx);
  auto done =
      discovery::ReceiveUpload(s, ctx.store, p.ToActor(), *machine, *id, chain->value_or(""),
                               key->value_or(""), declined->value_or(""));
  if (!done) return Fail(done.error());
  return http::Response::Json(UploadJson(*done));
}

}  // namespace

void AddDiscoveryAgentRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/agent/inventory", Action::kAgent, Report);
  AddRoute(router, ctx, "GET", "/api/v1/agent/uploads", Action::kAgent, Pending);
  AddRoute(router, ctx, "POST", "/api/v1/agent/uploads/{id}", Action::kAgent, Upload);
}

}  // namespace certfleet::hub::api
