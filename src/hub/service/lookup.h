// Finders by name, for path parameters and for references in an input ("customer":
// "acme-shop"), with messages a person can act on: "customer 'acme' not found (did you
// mean 'acme-shop'?)". Store errors other than kNotFound pass through unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/did_you_mean.h"
#include "common/error.h"
#include "store/store.h"

namespace certfleet::hub::service {

Result<store::Customer> FindCustomer(store::Store& store, std::string_view name);
Result<store::Machine> FindMachine(store::Store& store, std::string_view name);
// Normalizes `name` first (so "Shop.Example.com." finds "shop.example.com"); an invalid
// name is kInvalidArgument with NormalizeDomainName's reason. Only a domain's own name
// finds it (a write must not land on another domain), but when `name` is another name
// (SAN) of a domain, the kNotFound message names that domain:
// "domain www.shop.example.com not found: it is another name (SAN) of the domain
// shop.example.com".
Result<store::Domain> FindDomain(store::Store& store, std::string_view name);
// Every machine / customer whose name contains `name_contains` (all when empty), ascending
// by name, read page by page (`page_size` rows a query) so no list stops silently at the
// store's page limit; pickers, the customer's machines and the fleet status use them.
Result<std::vector<store::Machine>> AllMachines(store::Store& store,
                                                std::string_view name_contains = "",
                                                std::int64_t page_size = 1000);
Result<std::vector<store::Customer>> AllCustomers(store::Store& store,
                                                  std::string_view name_contains = "",
                                                  std::int64_t page_size = 1000);
// The text a domain search (store::DomainQuery::name_contains) looks for: Unicode text
// that is a valid name or label becomes its punycode form, as names are stored ("müller"
// → "xn--mller-kva", so it finds "xn--mller-kva.example"); anything else is unchanged.
// Unicode thus matches whole labels, not parts of one.
std::string DomainSearchText(std::string_view text);
// A positive decimal id from a path segment; kInvalidArgument naming `what` otherwise.
Result<store::Id> ParseId(std::string_view text, std::string_view what);

// A customer reference in an input: nullopt for "" (no customer). Errors are about the
// field labelled "Customer".
Result<std::optional<store::Id>> CustomerIdOf(store::Store& store, std::string_view name);
// Machine names → ids, ascending and without duplicates; errors are about "Machines".
Result<std::vector<store::Id>> MachineIdsOf(store::Store& store,
                                            const std::vector<std::string>& names);

using certfleet::DidYouMean;  // common/did_you_mean.h

}  // namespace certfleet::hub::service
