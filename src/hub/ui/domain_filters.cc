#include "hub/ui/domain_filters.h"

#include "hub/api/domain_cursor.h"
#include "hub/api/json_body.h"
#include "hub/api/lookup.h"
#include "hub/ui/html.h"

namespace certfleet::hub::ui {
namespace {

store::DomainSort SortOf(const std::string& sort) {
  if (sort == "expiry") return store::DomainSort::kNotAfter;
  if (sort == "updated") return store::DomainSort::kUpdatedAt;
  if (sort == "state") return store::DomainSort::kStatus;
  if (sort == "next") return store::DomainSort::kNextAttempt;
  return store::DomainSort::kName;
}

}  // namespace

DomainFilters ReadDomainFilters(const http::Request& req) {
  DomainFilters f;
  f.q = api::QueryString(req, "q");
  f.status = api::QueryString(req, "status");
  f.customer = api::QueryString(req, "customer");
  f.machine = api::QueryString(req, "machine");
  f.issuer = api::QueryString(req, "issuer");
  f.expiring = api::QueryString(req, "expiring");
  f.sort = api::QueryString(req, "sort");
  f.order = api::QueryString(req, "order");
  f.after = api::QueryString(req, "after");
  f.before = api::QueryString(req, "before");
  f.page = api::QueryInt(req, "page", 1, 1, 1'000'000).value_or(1);
  return f;
}

Result<store::DomainQuery> ToDomainQuery(UiContext& ui, const DomainFilters& f) {
  store::DomainQuery q;
  q.name_contains = service::DomainSearchText(f.q);
  if (!f.status.empty()) {
    auto status = store::ParseDomainStatus(f.status);
    if (!status) return Fail(status.error().WithContext("filter 'state'"));
    q.status = *status;
  }
  if (!f.customer.empty()) {
    auto c = api::FindCustomer(ui.api, f.customer);
    if (!c) return Fail(c.error());
    q.customer_id = c->id;
  }
  if (!f.machine.empty()) {
    auto m = api::FindMachine(ui.api, f.machine);
    if (!m) return Fail(m.error());
    q.machine_id = m->id;
  }
  q.issuer = f.issuer;
  if (!f.expiring.empty()) {
    const int days = f.expiring == "0" ? 0 : f.expiring == "7" ? 7 : f.expiring == "90" ? 90 : 30;
    q.expiring_before = ui.api.clock.Now() + std::chrono::hours(24 * days);
  }
  q.sort = SortOf(f.sort);
  q.descending = f.order.empty() ? f.sort == "updated" : f.order == "desc";
  q.limit = kDomainPageSize;
  q.offset = (f.page - 1) * kDomainPageSize;
  q.count_limit = kDomainCountLimit;
  if (!f.after.empty()) {
    auto key = api::DecodeDomainCursor(f.after, q.sort, q.descending, "after");
    if (!key) return Fail(key.error());
    q.after = std::move(*key);
  }
  return q;
}

namespace {

// The list's filters and order as query parameters, then `last` (the page number or a cursor).
std::string FilteredUrl(const DomainFilters& f, std::string_view path, std::string_view last_name,
                        std::string last_value) {
  return UrlWithQuery(path, {{"q", f.q},
                             {"status", f.status},
                             {"customer", f.customer},
                             {"machine", f.machine},
                             {"issuer", f.issuer},
                             {"expiring", f.expiring},
                             {"sort", f.sort},
                             {"order", f.order},
                             {last_name, std::move(last_value)}});
}

}  // namespace

std::string DomainListUrl(const DomainFilters& f, std::string_view path, std::int64_t page) {
  return FilteredUrl(f, path, "page", page > 1 ? std::to_string(page) : "");
}

std::string DomainPageUrl(const DomainFilters& f, std::string_view direction,
                          const std::string& cursor) {
  return FilteredUrl(f, "/ui/domains", direction, cursor);
}

}  // namespace certfleet::hub::ui
