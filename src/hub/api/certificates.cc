// Certificates: list per domain, get one (public data only), and the manual upload.
#include <nlohmann/json.hpp>

#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/api/routes.h"
#include "hub/service/domains.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

Result<http::Response> ListForDomain(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {"limit"}); !s) return Fail(s.error());
  auto d = FindDomain(ctx, req.PathParam("name"));
  if (!d) return Fail(d.error());
  auto limit = QueryInt(req, "limit", 20, 1, 1000);
  if (!limit) return Fail(limit.error());
  auto certs = ctx.store.ListCertificates(d->id, *limit);
  if (!certs) return Fail(certs.error());
  json items = json::array();
  for (const auto& c : *certs) {
    json item = CertificateJson(c, /*with_chain=*/false);
    item["current"] = d->current_certificate_id == c.id;
    items.push_back(std::move(item));
  }
  return http::Response::Json({{"items", items}});
}

Result<http::Response> Get(ApiContext& ctx, const http::Request& req, const Principal&) {
  if (auto s = CheckQuery(req, {}); !s) return Fail(s.error());
  auto id = ParseId(req.PathParam("id"), "certificate id");
  if (!id) return Fail(id.error());
  auto cert = ctx.store.GetCertificate(*id);
  if (!cert) return Fail(cert.error());
  json out = CertificateJson(*cert, /*with_chain=*/true);
  NameCache names(ctx.store);
  out["domain"] = names.Domain(cert->domain_id);
  return http::Response::Json(out);
}

Result<http::Response> Upload(ApiContext& ctx, const http::Request& req, const Principal& p) {
  auto body = JsonBody::Parse(req, {"chain_pem", "key_pem"});
  if (!body) return Fail(body.error());
  auto chain_pem = body->RequiredString("chain_pem");
  auto key_pem = body->RequiredString("key_pem");
  if (auto s = FirstError(chain_pem, key_pem); !s) return Fail(s.error());
  auto s = Services(ctx);
  auto stored =
      service::UploadCertificate(s, p.ToActor(), req.PathParam("name"), *chain_pem, *key_pem);
  if (!stored) return Fail(stored.error());
  return http::Response::Json(CertificateJson(*stored, /*with_chain=*/false), 201);
}

}  // namespace

void AddCertificateRoutes(http::Router& router, ApiContext& ctx) {
  AddRoute(router, ctx, "GET", "/api/v1/domains/{name}/certificates", Action::kRead, ListForDomain);
  AddRoute(router, ctx, "GET", "/api/v1/certificates/{id}", Action::kRead, Get);
  AddRoute(router, ctx, "POST", "/api/v1/domains/{name}/certificate", Action::kManageKeys, Upload);
}

}  // namespace certfleet::hub::api
