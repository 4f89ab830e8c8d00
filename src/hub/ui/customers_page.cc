// GET /ui/customers: customers with their contact, support expiry (highlighted once past)
// and a link to their domains. Searchable by name, 100 per page.
#include "hub/api/json_body.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::int64_t kPageSize = 100;

std::string SupportExpiry(const store::Customer& c, std::chrono::year_month_day today) {
  if (!c.support_expires) return "<span class=\"muted\">—</span>";
  const auto& d = *c.support_expires;
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  if (d < today)
    return "<span class=\"past support-expired\">" + Escape(text) + " (expired)</span>";
  return Escape(text);
}

Result<std::string> Row(UiContext& ui, const store::Customer& c,
                        std::chrono::year_month_day today) {
  store::DomainQuery q;
  q.customer_id = c.id;
  q.limit = 1;
  auto domains = ui.api.store.ListDomains(q);
  if (!domains) return Fail(domains.error());
  return "<tr><td>" + Escape(c.name) + "</td><td>" + Escape(c.contact) + "</td><td>" +
         SupportExpiry(c, today) + "</td><td>" +
         Link(UrlWithQuery("/ui/domains", {{"customer", c.name}}), std::to_string(domains->total)) +
         "</td></tr>";
}

Result<http::Response> CustomersPage(UiContext& ui, const http::Request& req,
                                     const Viewer& viewer) {
  const std::string search = api::QueryString(req, "q");
  const std::int64_t page = api::QueryInt(req, "page", 1, 1, 1'000'000).value_or(1);
  auto customers = ui.api.store.ListCustomers(
      {.name_contains = search, .limit = kPageSize, .offset = (page - 1) * kPageSize});
  if (!customers) return Fail(customers.error());
  const std::chrono::year_month_day today{
      std::chrono::floor<std::chrono::days>(ui.api.clock.Now())};
  std::string body =
      "<h1>Customers</h1><form class=\"filters\" method=\"get\" action=\"/ui/customers\">"
      "<input type=\"search\" name=\"q\" aria-label=\"search\" placeholder=\"search names\" "
      "value=\"" +
      Escape(search) + "\"><button type=\"submit\">Search</button></form><p>" +
      std::to_string(customers->total) +
      " customer(s)</p><div class=\"table-wrap\"><table id=\"customers\">"
      "<thead><tr><th>customer</th><th>contact</th><th>support "
      "until</th><th>domains</th></tr></thead><tbody>";
  for (const auto& c : customers->items) {
    auto row = Row(ui, c, today);
    if (!row) return Fail(row.error());
    body += *row;
  }
  body += "</tbody></table></div><div class=\"pager\">";
  if (page > 1)
    body += Link(UrlWithQuery("/ui/customers", {{"q", search}, {"page", std::to_string(page - 1)}}),
                 "‹ previous");
  if (page * kPageSize < customers->total) {
    body += Link(UrlWithQuery("/ui/customers", {{"q", search}, {"page", std::to_string(page + 1)}}),
                 "next ›");
  }
  body += "</div>";
  return HtmlResponse(Page(&viewer, "Customers", "customers", body));
}

}  // namespace

void AddCustomerRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/customers", CustomersPage);
}

}  // namespace certfleet::hub::ui
