// Finders by name for path parameters and body references, with API-grade messages
// ("machine web-9 not found"). Store errors other than kNotFound pass through.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "hub/api/context.h"

namespace certfleet::hub::api {

Result<store::Customer> FindCustomer(ApiContext& ctx, std::string_view name);
Result<store::Machine> FindMachine(ApiContext& ctx, std::string_view name);
// Normalizes `name` first (so "Shop.Example.com." finds "shop.example.com"); an invalid
// name is kInvalidArgument with NormalizeDomainName's reason.
Result<store::Domain> FindDomain(ApiContext& ctx, std::string_view name);
// A positive decimal id from a path segment; kInvalidArgument naming `what` otherwise.
Result<store::Id> ParseId(std::string_view text, std::string_view what);
// Customer reference in a body: nullopt for an absent/empty name.
Result<std::optional<store::Id>> CustomerIdOf(ApiContext& ctx,
                                              const std::optional<std::string>& name);
// Machine names → ids, ascending and without duplicates.
Result<std::vector<store::Id>> MachineIdsOf(ApiContext& ctx, const std::vector<std::string>& names);

}  // namespace certfleet::hub::api
