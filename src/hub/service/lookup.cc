#include "hub/service/lookup.h"

#include <algorithm>
#include <cstdint>

#include "common/domain_name.h"
#include "hub/service/field_error.h"

namespace certfleet::hub::service {
namespace {

std::string NotFoundMessage(std::string_view kind, std::string_view name,
                            const std::optional<std::string>& suggestion) {
  std::string out = std::string(kind) + " '" + std::string(name) + "' not found";
  if (suggestion) out += " (did you mean '" + *suggestion + "'?)";
  return out;
}

template <typename Row>
std::vector<std::string> NamesOf(const Result<store::Page<Row>>& page) {
  std::vector<std::string> names;
  if (!page) return names;
  for (const auto& row : page->items) names.push_back(row.name);
  return names;
}

// Runs only on the error path: one page of names to suggest from.
template <typename T, typename Lister>
Result<T> Named(Result<T> row, std::string_view kind, std::string_view name, Lister list) {
  if (row || row.error().code != ErrorCode::kNotFound) return row;
  const auto suggestion = DidYouMean(name, NamesOf(list()));
  return Fail(ErrorCode::kNotFound, NotFoundMessage(kind, name, suggestion));
}

// Runs only when `name` is no domain's own name: the domain that lists it as another
// name (SAN), found by the store's search over every name; nullopt when none does.
std::optional<std::string> SanOwner(store::Store& store, const std::string& name) {
  auto page = store.ListDomains({.name_contains = name, .limit = 1000});
  if (!page) return std::nullopt;
  for (const auto& d : page->items) {
    if (std::find(d.sans.begin(), d.sans.end(), name) != d.sans.end()) return d.name;
  }
  return std::nullopt;
}

template <typename Row, typename Lister>
Result<std::vector<Row>> AllPages(std::string_view name_contains, std::int64_t page_size,
                                  Lister list) {
  std::vector<Row> out;
  store::NameQuery q{.name_contains = std::string(name_contains), .limit = page_size};
  for (;; q.offset += q.limit) {
    auto page = list(q);
    if (!page) return Fail(page.error());
    for (auto& row : page->items) out.push_back(std::move(row));
    if (page->items.empty() || q.offset + q.limit >= page->total) break;
  }
  return out;
}

}  // namespace

Result<std::vector<store::Machine>> AllMachines(store::Store& store, std::string_view name_contains,
                                                std::int64_t page_size) {
  return AllPages<store::Machine>(name_contains, page_size,
                                  [&](const store::NameQuery& q) { return store.ListMachines(q); });
}

Result<std::vector<store::Customer>> AllCustomers(store::Store& store,
                                                  std::string_view name_contains,
                                                  std::int64_t page_size) {
  return AllPages<store::Customer>(
      name_contains, page_size, [&](const store::NameQuery& q) { return store.ListCustomers(q); });
}

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

Result<store::Customer> FindCustomer(store::Store& store, std::string_view name) {
  return Named(store.GetCustomerByName(name), "customer", name,
               [&] { return store.ListCustomers({.limit = 1000}); });
}

Result<store::Machine> FindMachine(store::Store& store, std::string_view name) {
  return Named(store.GetMachineByName(name), "machine", name,
               [&] { return store.ListMachines({.limit = 1000}); });
}

Result<store::Domain> FindDomain(store::Store& store, std::string_view name) {
  auto canonical = NormalizeDomainName(name, {.allow_wildcard = true});
  if (!canonical) return Fail(canonical.error());
  auto d = store.GetDomainByName(*canonical);
  if (!d && d.error().code == ErrorCode::kNotFound) {
    std::string message = "domain " + *canonical + " not found";
    if (auto owner = SanOwner(store, *canonical)) {
      message += ": it is another name (SAN) of the domain " + *owner;
    }
    return Fail(ErrorCode::kNotFound, message);
  }
  return d;
}

std::string DomainSearchText(std::string_view text) {
  auto ascii = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  };
  if (ascii(text)) return std::string(text);
  // Label by label: a Unicode label alone is no valid name, so each is normalized under a
  // stand-in parent and the parent dropped again.
  std::string out;
  for (std::size_t start = 0;;) {
    const auto dot = text.find('.', start);
    const std::string_view label =
        text.substr(start, dot == std::string_view::npos ? dot : dot - start);
    auto canonical = NormalizeDomainName(std::string(label) + ".example");
    if (!ascii(label) && !canonical) return std::string(text);
    out += ascii(label) ? std::string(label) : canonical->substr(0, canonical->size() - 8);
    if (dot == std::string_view::npos) return out;
    out += '.';
    start = dot + 1;
  }
}

Result<std::optional<store::Id>> CustomerIdOf(store::Store& store, std::string_view name) {
  if (name.empty()) return std::optional<store::Id>();
  auto customer = FindCustomer(store, name);
  if (!customer) return Fail(AboutField(label::kCustomer, customer.error()));
  return std::optional<store::Id>(customer->id);
}

Result<std::vector<store::Id>> MachineIdsOf(store::Store& store,
                                            const std::vector<std::string>& names) {
  std::vector<store::Id> ids;
  for (const auto& name : names) {
    auto machine = FindMachine(store, name);
    if (!machine) return Fail(AboutField(label::kMachines, machine.error()));
    ids.push_back(machine->id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace certfleet::hub::service
