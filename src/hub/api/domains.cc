// /api/v1/domains: create, update, delete and the issue button. Reads: domain_reads.cc.
#include <nlohmann/json.hpp>

#include "hub/api/domain_fields.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

bool IsAcme(const store::Domain& d) { return d.issuer != store::kManualIssuer; }

// Overlays the body's fields on `d` and validates the result as a whole.
Status ApplyDomainBody(ApiContext& ctx, const JsonBody& body, store::Domain& d) {
  auto name = body.String("name");
  auto sans = body.StringList("sans");
  auto customer = body.String("customer");
  auto machines = body.StringList("machines");
  auto issuer = body.String("issuer");
  auto key_type = body.String("key_type");
  auto profile = body.String("profile");
  if (auto s = FirstError(name, sans, customer, machines, issuer, key_type, profile); !s) return s;
  DomainFields f{name->value_or(d.name), sans->value_or(d.sans), issuer->value_or(d.issuer),
                 key_type->value_or(d.key_type), profile->value_or(d.profile)};
  auto valid = ValidateDomainFields(ctx.config, std::move(f));
  if (!valid) return Fail(valid.error());
  if (*customer || body.IsNull("customer")) {
    auto id = CustomerIdOf(ctx, *customer);
    if (!id) return Fail(id.error());
    d.customer_id = *id;
  }
  if (*machines) {
    auto ids = MachineIdsOf(ctx, **machines);
    if (!ids) return Fail(ids.error());
    d.machine_ids = std::move(*ids);
  }
  d.name = valid->name;
  d.sans = valid->sans;
  d.issuer = valid->issuer;
  d.key_type = valid->key_type;
  d.profile = valid->profile;
  return Ok();
}

// True when the change needs a new certificate (DESIGN: a changed SAN list, key type,
// profile or issuer triggers a new order).
bool NeedsNewOrder(const store::Domain& before, const store::Domain& after) {
  return before.sans != after.sans || before.key_type != after.key_type ||
         before.profile != after.profile || before.issuer != after.issuer;
}

http::Response DomainResponse(ApiContext& ctx, const store::Domain& d, int status) {
  NameCache names(ctx.store);
  return http::Response::Json(DomainJson(d, names), status);
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(
      req, {"name", "sans", "customer", "machines", "issuer", "key_type", "profile"});
  if (!body) return Fail(body.error());
  if (auto name = body->RequiredString("name"); !name) return Fail(name.error());
  store::Domain d;
  if (auto s = ApplyDomainBody(ctx, *body, d); !s) return Fail(s.error());
  d.status = store::DomainStatus::kPending;
  if (IsAcme(d)) d.next_attempt_at = ctx.clock.Now();
  auto created = ctx.store.CreateDomain(p.ToActor(), d);
  if (!created) return Fail(created.error());
  if (IsAcme(*created)) ctx.wake_issuance();
  return DomainResponse(ctx, *created, 201);
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(
      req, {"sans", "customer", "machines", "issuer", "key_type", "profile", "version"});
  if (!body) return Fail(body.error());
  auto before = FindDomain(ctx, req.PathParam("name"));
  if (!before) return Fail(before.error());
  auto version = body->Int("version");
  if (!version) return Fail(version.error());
  store::Domain d = *before;
  if (*version) d.version = **version;
  if (auto s = ApplyDomainBody(ctx, *body, d); !s) return Fail(s.error());
  const bool reorder = NeedsNewOrder(*before, d);
  if (reorder) d.next_attempt_at = IsAcme(d) ? std::optional(ctx.clock.Now()) : std::nullopt;
  auto updated = ctx.store.UpdateDomain(p.ToActor(), d);
  if (!updated) return Fail(updated.error());
  if (reorder && IsAcme(*updated)) ctx.wake_issuance();
  return DomainResponse(ctx, *updated, 200);
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto d = FindDomain(ctx, req.PathParam("name"));
  if (!d) return Fail(d.error());
  if (auto s = ctx.store.DeleteDomain(p.ToActor(), d->id); !s) return Fail(s.error());
  return http::Response::NoContent();
}

// The support staff's button: issue or renew now.
Result<http::Response> Issue(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto d = FindDomain(ctx, req.PathParam("name"));
  if (!d) return Fail(d.error());
  if (!IsAcme(*d)) {
    return Fail(ErrorCode::kConflict, "domain " + d->name +
                                          " has issuer manual; upload its certificate with POST "
                                          "/api/v1/domains/" +
                                          d->name + "/certificate");
  }
  auto requested = ctx.store.RequestIssuance(p.ToActor(), d->id, ctx.clock.Now());
  if (!requested) return Fail(requested.error());
  ctx.wake_issuance();
  return DomainResponse(ctx, *requested, 202);
}

}  // namespace

void AddDomainRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "POST", "/api/v1/domains", Action::kManage, Create);
  AddRoute(router, ctx, "PATCH", "/api/v1/domains/{name}", Action::kManage, Update);
  AddRoute(router, ctx, "DELETE", "/api/v1/domains/{name}", Action::kManage, Delete);
  AddRoute(router, ctx, "POST", "/api/v1/domains/{name}/issue", Action::kManage, Issue);
  AddDomainReadRoutes(router, ctx);
}

}  // namespace certfleet::hub::api
