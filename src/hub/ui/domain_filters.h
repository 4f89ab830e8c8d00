// The domain list's filters as they travel in the URL (/ui/domains?q=&status=&customer=&…),
// shared by the page, its CSV export and the bulk actions: the same filter always selects
// the same domains.
#pragma once

#include <cstdint>
#include <string>

#include "common/error.h"
#include "http/request.h"
#include "hub/ui/ui_context.h"
#include "store/store.h"

namespace certfleet::hub::ui {

struct DomainFilters {
  std::string q, status, customer, machine, issuer, expiring;
  std::string sort;   // name | expiry | state | updated | next
  std::string order;  // asc | desc ("" = the column's natural order)
  std::int64_t page = 1;
};

inline constexpr std::int64_t kDomainPageSize = 50;

DomainFilters ReadDomainFilters(const http::Request& request);
// The store query for the filters (one page of kDomainPageSize); an unknown customer or
// machine is kNotFound with the finder's message.
Result<store::DomainQuery> ToDomainQuery(UiContext& ui, const DomainFilters& f);
// "/ui/domains?…" (or another `path`) with the filters; `page` > 1 adds page=.
std::string DomainListUrl(const DomainFilters& f, std::string_view path = "/ui/domains",
                          std::int64_t page = 1);

}  // namespace certfleet::hub::ui
