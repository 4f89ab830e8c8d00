// /api/v1/domains: create, update, delete and the issue button: JSON in, the service
// layer's rules (hub/service/domains.h), JSON out. Reads: domain_reads.cc.
#include "hub/service/domains.h"

#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

// The body's fields as the service's input. "customer": null clears the customer.
Result<service::DomainInput> InputOf(const JsonBody& body) {
  auto name = body.String("name");
  auto sans = body.StringList("sans");
  auto customer = body.String("customer");
  auto machines = body.StringList("machines");
  auto issuer = body.String("issuer");
  auto key_type = body.String("key_type");
  auto profile = body.String("profile");
  auto add_sans = body.StringList("add_sans");
  auto remove_sans = body.StringList("remove_sans");
  auto add_machines = body.StringList("add_machines");
  auto remove_machines = body.StringList("remove_machines");
  auto version = body.Int("version");
  if (auto s = FirstError(name, sans, customer, machines, issuer, key_type, profile, add_sans,
                          remove_sans, add_machines, remove_machines, version);
      !s) {
    return Fail(s.error());
  }
  service::DomainInput in;
  in.name = *name;
  in.sans = *sans;
  in.customer = body.IsNull("customer") ? std::optional<std::string>("") : *customer;
  in.machines = *machines;
  in.issuer = *issuer;
  in.key_type = *key_type;
  in.profile = *profile;
  in.add_sans = add_sans->value_or(std::vector<std::string>{});
  in.remove_sans = remove_sans->value_or(std::vector<std::string>{});
  in.add_machines = add_machines->value_or(std::vector<std::string>{});
  in.remove_machines = remove_machines->value_or(std::vector<std::string>{});
  in.version = *version;
  return in;
}

http::Response DomainResponse(ApiContext& ctx, const store::Domain& d, int status) {
  NameCache names(ctx.store);
  return http::Response::Json(DomainJson(d, names), status);
}

Result<http::Response> Create(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(
      req, {"name", "sans", "customer", "machines", "issuer", "key_type", "profile"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto created = service::CreateDomain(s, p.ToActor(), *in);
  if (!created) return Fail(created.error());
  return DomainResponse(ctx, *created, 201);
}

Result<http::Response> Update(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(
      req, {"sans", "customer", "machines", "issuer", "key_type", "profile", "version", "add_sans",
            "remove_sans", "add_machines", "remove_machines"});
  if (!body) return Fail(body.error());
  auto in = InputOf(*body);
  if (!in) return Fail(in.error());
  auto s = Services(ctx);
  auto updated = service::UpdateDomain(s, p.ToActor(), req.PathParam("name"), *in);
  if (!updated) return Fail(updated.error());
  return DomainResponse(ctx, *updated, 200);
}

Result<http::Response> Delete(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto s = Services(ctx);
  if (auto st = service::DeleteDomain(s, p.ToActor(), req.PathParam("name")); !st) {
    return Fail(st.error());
  }
  return http::Response::NoContent();
}

// The support staff's button: issue or renew now.
Result<http::Response> Issue(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto s = Services(ctx);
  auto requested = service::RequestIssuance(s, p.ToActor(), req.PathParam("name"));
  if (!requested) return Fail(requested.error());
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
