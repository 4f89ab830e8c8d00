// The hub's JSON request bodies (POST/PATCH /api/v1/...): api::JsonBody::Parse with the
// domain fields, every typed getter, and the service's validation of a domain built from
// them (ValidateDomainFields over the default config) — what a client's body reaches.
#include "fuzz_input.h"
#include "hub/api/json_body.h"
#include "hub/config.h"
#include "hub/service/domain_fields.h"

namespace {

using certfleet::hub::api::JsonBody;

certfleet::hub::service::DomainFields FieldsOf(const JsonBody& body) {
  certfleet::hub::service::DomainFields fields;
  if (auto v = body.String("name"); v && *v) fields.name = **v;
  if (auto v = body.StringList("sans"); v && *v) fields.sans = **v;
  if (auto v = body.String("issuer"); v && *v) fields.issuer = **v;
  if (auto v = body.String("key_type"); v && *v) fields.key_type = **v;
  if (auto v = body.String("profile"); v && *v) fields.profile = **v;
  return fields;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const certfleet::hub::HubConfig config;  // the defaults: no issuer, "manual" only
  certfleet::http::Request request;
  request.method = "POST";
  request.body = std::string(certfleet::fuzz::Text(data, size));
  auto body = JsonBody::Parse(request, {"name", "sans", "customer", "machines", "issuer",
                                        "key_type", "profile", "version", "support_expires"});
  if (!body) return 0;
  (void)body->Int("version");
  (void)body->Bool("revoke_old");
  (void)body->RequiredString("customer");
  (void)body->StringList("machines");
  (void)body->IsNull("customer");
  (void)certfleet::hub::service::ValidateDomainFields(config, FieldsOf(*body));
  return 0;
}
