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
  // Keyset paging (hub/api/domain_cursor.h): the page after `after` or before `before`,
  // cursors of the list's sort and order. `page` (an offset) still works for old links.
  std::string after, before;
  std::int64_t page = 1;
};

inline constexpr std::int64_t kDomainPageSize = 50;

DomainFilters ReadDomainFilters(const http::Request& request);
// The domain list counts its matches up to this many ("more than 10,000 domains").
inline constexpr std::int64_t kDomainCountLimit = 10'000;

// The store query for the filters (one page of kDomainPageSize, after f.after); an
// unknown customer or machine is kNotFound with the finder's message, a malformed cursor
// kInvalidArgument. f.before is the domains page's own (it reverses the order).
Result<store::DomainQuery> ToDomainQuery(UiContext& ui, const DomainFilters& f);
// "/ui/domains?…" (or another `path`) with the filters; `page` > 1 adds page=. No cursor.
std::string DomainListUrl(const DomainFilters& f, std::string_view path = "/ui/domains",
                          std::int64_t page = 1);
// "/ui/domains?…" with the filters and one cursor: `direction` is "after" or "before".
std::string DomainPageUrl(const DomainFilters& f, std::string_view direction,
                          const std::string& cursor);

}  // namespace certfleet::hub::ui
