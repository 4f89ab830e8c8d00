#include "hub/api/lookup.h"

#include <algorithm>

#include "common/domain_name.h"

namespace certfleet::hub::api {
namespace {

template <typename T>
Result<T> NamedNotFound(Result<T> row, std::string_view kind, std::string_view name) {
  if (!row && row.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, std::string(kind) + " " + std::string(name) + " not found");
  }
  return row;
}

}  // namespace

Result<store::Id> ParseId(std::string_view text, std::string_view what) {
  store::Id id = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || id > (INT64_MAX - 9) / 10) {
      id = -1;
      break;
    }
    id = id * 10 + (c - '0');
  }
  if (text.empty() || id <= 0) {
    return Fail(
        ErrorCode::kInvalidArgument,
        std::string(what) + " must be a positive integer, got \"" + std::string(text) + "\"");
  }
  return id;
}

Result<store::Customer> FindCustomer(ApiContext& ctx, std::string_view name) {
  return NamedNotFound(ctx.store.GetCustomerByName(name), "customer", name);
}

Result<store::Machine> FindMachine(ApiContext& ctx, std::string_view name) {
  return NamedNotFound(ctx.store.GetMachineByName(name), "machine", name);
}

Result<store::Domain> FindDomain(ApiContext& ctx, std::string_view name) {
  auto canonical = NormalizeDomainName(name, {.allow_wildcard = true});
  if (!canonical) return Fail(canonical.error());
  return NamedNotFound(ctx.store.GetDomainByName(*canonical), "domain", *canonical);
}

Result<std::optional<store::Id>> CustomerIdOf(ApiContext& ctx,
                                              const std::optional<std::string>& name) {
  if (!name || name->empty()) return std::optional<store::Id>();
  auto customer = FindCustomer(ctx, *name);
  if (!customer) return Fail(customer.error());
  return std::optional<store::Id>(customer->id);
}

Result<std::vector<store::Id>> MachineIdsOf(ApiContext& ctx,
                                            const std::vector<std::string>& names) {
  std::vector<store::Id> ids;
  for (const auto& name : names) {
    auto machine = FindMachine(ctx, name);
    if (!machine) return Fail(machine.error());
    ids.push_back(machine->id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace certfleet::hub::api
