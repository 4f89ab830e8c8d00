// Finders by name for path parameters, over the service layer's (hub/service/lookup.h):
// "customer 'web' not found (did you mean 'web-1'?)". Store errors other than kNotFound
// pass through.
#pragma once

#include <string_view>

#include "common/error.h"
#include "hub/api/context.h"
#include "hub/service/lookup.h"

namespace certfleet::hub::api {

inline Result<store::Customer> FindCustomer(ApiContext& ctx, std::string_view name) {
  return service::FindCustomer(ctx.store, name);
}
inline Result<store::Machine> FindMachine(ApiContext& ctx, std::string_view name) {
  return service::FindMachine(ctx.store, name);
}
// Normalizes `name` first (so "Shop.Example.com." finds "shop.example.com").
inline Result<store::Domain> FindDomain(ApiContext& ctx, std::string_view name) {
  return service::FindDomain(ctx.store, name);
}
using service::ParseId;

}  // namespace certfleet::hub::api
