// The keyset cursor of the domain list (GET /api/v1/domains?after=…, the `next` of each
// page; the web UI's "next" link): the previous page's last row's place in the order
// (store::DomainKey) with the sort and direction it belongs to, as base64url JSON. Clients
// treat it as opaque; the hub refuses a cursor of another sort or direction instead of
// silently paging through a different order.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "store/types.h"

namespace certfleet::hub::api {

// The API's name of a sort: name, not_after, updated_at, status, next_attempt_at.
std::string_view DomainSortName(store::DomainSort sort);

std::string EncodeDomainCursor(store::DomainSort sort, bool descending,
                               const store::DomainKey& key);

// kInvalidArgument, naming `parameter`, for text that is not a cursor of this sort and
// direction (malformed, truncated, or made for another order).
Result<store::DomainKey> DecodeDomainCursor(std::string_view text, store::DomainSort sort,
                                            bool descending, std::string_view parameter);

}  // namespace certfleet::hub::api
