// GET /ui/domains: the domains table with server-side search, filters and pages.
// The filter form asks htmx for the table only (hx-get, pushed to the address bar), so
// typing in the search box swaps rows without reloading the page; without htmx the same
// URL renders the whole page. One indexed ListDomains query per request.
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::int64_t kPageSize = 50;

struct Filters {
  std::string q, status, customer, machine, issuer, expiring, sort;
  std::int64_t page = 1;
};

Filters ReadFilters(const http::Request& req) {
  Filters f;
  f.q = api::QueryString(req, "q");
  f.status = api::QueryString(req, "status");
  f.customer = api::QueryString(req, "customer");
  f.machine = api::QueryString(req, "machine");
  f.issuer = api::QueryString(req, "issuer");
  f.expiring = api::QueryString(req, "expiring");
  f.sort = api::QueryString(req, "sort");
  f.page = api::QueryInt(req, "page", 1, 1, 1'000'000).value_or(1);
  return f;
}

Result<store::DomainQuery> ToQuery(UiContext& ui, const Filters& f) {
  store::DomainQuery q;
  q.name_contains = f.q;
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
  q.sort = f.sort == "expiry"    ? store::DomainSort::kNotAfter
           : f.sort == "updated" ? store::DomainSort::kUpdatedAt
           : f.sort == "state"   ? store::DomainSort::kStatus
                                 : store::DomainSort::kName;
  q.descending = f.sort == "updated";
  q.limit = kPageSize;
  q.offset = (f.page - 1) * kPageSize;
  return q;
}

std::string PageUrl(const Filters& f, std::int64_t page) {
  return UrlWithQuery("/ui/domains", {{"q", f.q},
                                      {"status", f.status},
                                      {"customer", f.customer},
                                      {"machine", f.machine},
                                      {"issuer", f.issuer},
                                      {"expiring", f.expiring},
                                      {"sort", f.sort},
                                      {"page", page > 1 ? std::to_string(page) : ""}});
}

std::string Row(const store::Domain& d, api::NameCache& names, TimePoint now) {
  std::string machines;
  for (auto id : d.machine_ids) {
    if (!machines.empty()) machines += ", ";
    machines += Escape(names.Machine(id));
  }
  return "<tr><td>" + Link("/ui/domains/" + UrlComponent(d.name), d.name) + "</td><td>" +
         (d.customer_id ? Escape(names.Customer(*d.customer_id)) : "") + "</td><td>" +
         BadgeHtml(store::DomainStatusName(d.status)) + "</td><td class=\"optional\">" +
         Escape(d.issuer) + "</td><td>" + ExpiryHtml(now, d.current_not_after) +
         "</td><td class=\"optional\">" + machines + "</td></tr>";
}

std::string Pager(const Filters& f, std::int64_t total) {
  const std::int64_t pages = std::max<std::int64_t>(1, (total + kPageSize - 1) / kPageSize);
  std::string out = "<div class=\"pager\"><span id=\"domain-total\">" + std::to_string(total) +
                    " domain" + (total == 1 ? "" : "s") + " · page " + std::to_string(f.page) +
                    " of " + std::to_string(pages) + "</span>";
  const auto nav = [&](std::int64_t page, std::string_view label) {
    return "<a href=\"" + Escape(PageUrl(f, page)) + "\" hx-get=\"" + Escape(PageUrl(f, page)) +
           "\" hx-target=\"#domain-table\" hx-swap=\"outerHTML\" hx-push-url=\"true\">" +
           Escape(label) + "</a>";
  };
  if (f.page > 1) out += nav(f.page - 1, "‹ previous");
  if (f.page < pages) out += nav(f.page + 1, "next ›");
  return out + "</div>";
}

Result<std::string> Table(UiContext& ui, const Filters& f) {
  auto q = ToQuery(ui, f);
  if (!q) return Fail(q.error());
  auto page = ui.api.store.ListDomains(*q);
  if (!page) return Fail(page.error());
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  std::string out = "<div id=\"domain-table\">" + Pager(f, page->total) +
                    "<div class=\"table-wrap\"><table><thead><tr><th>domain</th><th>customer</th>"
                    "<th>state</th><th class=\"optional\">issuer</th><th>expires</th>"
                    "<th class=\"optional\">machines</th></tr></thead><tbody>";
  for (const auto& d : page->items) out += Row(d, names, now);
  if (page->items.empty())
    out += "<tr><td colspan=\"6\" class=\"muted\">No domain matches.</td></tr>";
  return out + "</tbody></table></div></div>";
}

std::string Option(std::string_view value, std::string_view label, std::string_view selected) {
  return "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string FilterForm(UiContext& ui, const Filters& f) {
  std::string out =
      "<form class=\"filters\" method=\"get\" action=\"/ui/domains\" hx-get=\"/ui/domains\" "
      "hx-target=\"#domain-table\" hx-swap=\"outerHTML\" hx-push-url=\"true\" "
      "hx-trigger=\"input changed delay:300ms from:#search, change, submit\">"
      "<input type=\"search\" id=\"search\" name=\"q\" placeholder=\"search names\" "
      "aria-label=\"search\" value=\"" +
      Escape(f.q) + "\"><select name=\"status\" aria-label=\"state\">" +
      Option("", "any state", f.status);
  for (auto s : {"valid", "renewing", "issuing", "failed", "pending"})
    out += Option(s, s, f.status);
  out +=
      "</select><input type=\"text\" name=\"customer\" placeholder=\"customer\" "
      "aria-label=\"customer\" value=\"" +
      Escape(f.customer) + "\"><select name=\"issuer\" aria-label=\"issuer\">" +
      Option("", "any issuer", f.issuer);
  for (const auto& issuer : ui.api.config.issuers)
    out += Option(issuer.name, issuer.name, f.issuer);
  out += Option(store::kManualIssuer, "manual", f.issuer) +
         "</select><select name=\"expiring\" aria-label=\"expiry\">" +
         Option("", "any expiry", f.expiring) + Option("0", "expired", f.expiring) +
         Option("7", "within 7 days", f.expiring) + Option("30", "within 30 days", f.expiring) +
         Option("90", "within 90 days", f.expiring) +
         "</select><select name=\"sort\" aria-label=\"sort\">" +
         Option("", "sort by name", f.sort) + Option("expiry", "sort by expiry", f.sort) +
         Option("state", "sort by state", f.sort) + Option("updated", "recently changed", f.sort) +
         "</select>";
  if (!f.machine.empty()) {
    out += "<input type=\"hidden\" name=\"machine\" value=\"" + Escape(f.machine) + "\">";
  }
  return out + "<noscript><button type=\"submit\">Filter</button></noscript></form>";
}

Result<http::Response> DomainsPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  const Filters f = ReadFilters(req);
  auto table = Table(ui, f);
  if (!table) return Fail(table.error());
  if (IsHtmx(req)) return HtmlResponse(std::move(*table));
  std::string body = "<h1>Domains</h1>";
  if (viewer.can_manage()) {
    body +=
        "<div class=\"actions\"><a class=\"button\" id=\"add-domain\" href=\"/ui/domains/new\">Add "
        "domain</a></div>";
  }
  if (!f.machine.empty()) body += "<p>Hosted on machine <b>" + Escape(f.machine) + "</b></p>";
  body += FilterForm(ui, f) + *table;
  return HtmlResponse(Page(&viewer, "Domains", "domains", body));
}

}  // namespace

void AddDomainListRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains", DomainsPage);
}

}  // namespace certfleet::hub::ui
