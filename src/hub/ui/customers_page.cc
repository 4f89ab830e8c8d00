// GET /ui/customers (sortable, searchable list) and GET /ui/customers/{name} (the customer
// page: contact, support expiry, machines, domains by state, certificates expiring soon).
#include "hub/api/json_body.h"
#include "hub/api/json_model.h"
#include "hub/api/lookup.h"
#include "hub/service/lookup.h"
#include "hub/service/names.h"
#include "hub/ui/form_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/list_sort.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

using std::chrono::year_month_day;

year_month_day Today(UiContext& ui) {
  return year_month_day{std::chrono::floor<std::chrono::days>(ui.api.clock.Now())};
}

std::string SupportExpiry(const store::Customer& c, year_month_day today) {
  if (!c.support_expires) return "<span class=\"muted\">—</span>";
  const std::string text = service::DateString(*c.support_expires);
  if (*c.support_expires < today) {
    return "<span class=\"past support-expired\">" + Escape(text) + " (expired)</span>";
  }
  return Escape(text);
}

Result<std::int64_t> CountDomains(UiContext& ui, store::DomainQuery q) {
  q.limit = 1;
  auto page = ui.api.store.ListDomains(q);
  if (!page) return Fail(page.error());
  return page->total;
}

Result<std::string> Row(UiContext& ui, const store::Customer& c, year_month_day today) {
  auto n = CountDomains(ui, {.customer_id = c.id});
  if (!n) return Fail(n.error());
  return "<tr><td>" + Link("/ui/customers/" + UrlComponent(c.name), c.name) +
         "</td><td class=\"optional\">" + Escape(c.contact) + "</td><td>" +
         SupportExpiry(c, today) + "</td><td>" +
         Link(UrlWithQuery("/ui/domains", {{"customer", c.name}}), std::to_string(*n)) +
         "</td></tr>";
}

bool Before(const store::Customer& a, const store::Customer& b, const std::string& sort) {
  if (sort == "support") {
    auto key = [](const store::Customer& c) {
      return c.support_expires.value_or(
          year_month_day{std::chrono::year::max(), std::chrono::December, std::chrono::day(31)});
    };
    if (key(a) != key(b)) return key(a) < key(b);
  }
  if (sort == "contact" && a.contact != b.contact) return a.contact < b.contact;
  return a.name < b.name;
}

Result<http::Response> CustomersPage(UiContext& ui, const http::Request& req,
                                     const Viewer& viewer) {
  ListView view{"/ui/customers", api::QueryString(req, "q"), api::QueryString(req, "sort"),
                api::QueryString(req, "order") == "desc",
                api::QueryInt(req, "page", 1, 1, 1'000'000).value_or(1)};
  auto customers = service::AllCustomers(ui.api.store, view.q);
  if (!customers) return Fail(customers.error());
  const auto rows =
      view.Slice(*customers, [&](const auto& a, const auto& b) { return Before(a, b, view.sort); });
  std::string body = "<h1>Customers</h1>";
  if (auto deleted = req.QueryParam("deleted")) {
    body += NoticeHtml("Deleted customer " + std::string(*deleted) + ".");
  }
  if (viewer.can_manage()) {
    body +=
        "<div class=\"actions\"><a class=\"button\" id=\"add-customer\" "
        "href=\"/ui/customers/new\">Add customer</a></div>";
  }
  body +=
      "<form class=\"filters\" method=\"get\" action=\"/ui/customers\"><input type=\"search\" "
      "name=\"q\" aria-label=\"search\" placeholder=\"search names\" value=\"" +
      Escape(view.q) + "\"><button type=\"submit\">Search</button></form>" +
      view.Pager(customers->size(), "customer(s)") +
      "<div class=\"table-wrap\"><table id=\"customers\"><thead><tr>" +
      view.Header("name", "customer") + view.Header("contact", "contact", "optional") +
      view.Header("support", "support until") + "<th>domains</th></tr></thead><tbody>";
  const auto today = Today(ui);
  for (const auto& c : rows) {
    auto row = Row(ui, c, today);
    if (!row) return Fail(row.error());
    body += *row;
  }
  if (rows.empty()) body += "<tr><td colspan=\"4\" class=\"muted\">No customer matches.</td></tr>";
  body += "</tbody></table></div>";
  return HtmlResponse(Page(&viewer, "Customers", "customers", body));
}

Result<std::string> StateCounts(UiContext& ui, const store::Customer& c) {
  std::string out = "<ul class=\"inline-list\" id=\"customer-domain-counts\">";
  for (auto s :
       {store::DomainStatus::kValid, store::DomainStatus::kRenewing, store::DomainStatus::kIssuing,
        store::DomainStatus::kPending, store::DomainStatus::kFailed}) {
    auto n = CountDomains(ui, {.customer_id = c.id, .status = s});
    if (!n) return Fail(n.error());
    if (*n == 0) continue;
    const std::string name(store::DomainStatusName(s));
    out += "<li>" +
           Link(UrlWithQuery("/ui/domains", {{"customer", c.name}, {"status", name}}),
                std::to_string(*n) + " " + name) +
           "</li>";
  }
  return out + "</ul>";
}

Result<std::string> Machines(UiContext& ui, const store::Customer& c) {
  auto machines = service::AllMachines(ui.api.store);
  if (!machines) return Fail(machines.error());
  std::string out;
  for (const auto& m : *machines) {
    if (m.customer_id != c.id) continue;
    out += (out.empty() ? "" : ", ") + Link("/ui/machines/" + UrlComponent(m.name), m.name);
  }
  return out.empty() ? std::string("<span class=\"muted\">none</span>") : out;
}

Result<std::string> Expiring(UiContext& ui, const store::Customer& c, TimePoint now) {
  auto page = ui.api.store.ListDomains({.customer_id = c.id,
                                        .expiring_before = now + std::chrono::hours(24 * 30),
                                        .sort = store::DomainSort::kNotAfter,
                                        .limit = 50});
  if (!page) return Fail(page.error());
  if (page->items.empty()) {
    return std::string("<p class=\"muted\">No certificate expires within 30 days.</p>");
  }
  std::string out = "<ul id=\"customer-expiring\">";
  for (const auto& d : page->items) {
    out += "<li>" + Link("/ui/domains/" + UrlComponent(d.name), d.name) + " — " +
           ExpiryHtml(now, d.current_not_after) +
           (d.issuer == store::kManualIssuer ? " <span class=\"muted\">(manual: upload the "
                                               "successor)</span>"
                                             : "") +
           "</li>";
  }
  return out + "</ul>";
}

Result<http::Response> CustomerPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  auto c = api::FindCustomer(ui.api, req.PathParam("name"));
  if (!c) return Fail(c.error());
  auto total = CountDomains(ui, {.customer_id = c->id});
  auto counts = StateCounts(ui, *c);
  auto machines = Machines(ui, *c);
  auto expiring = Expiring(ui, *c, ui.api.clock.Now());
  if (auto s = api::FirstError(total, counts, machines, expiring); !s) return Fail(s.error());
  const std::string base = "/ui/customers/" + UrlComponent(c->name);
  std::string body = "<p><a href=\"/ui/customers\">‹ Customers</a></p><h1>" + Escape(c->name) +
                     "</h1>" + NoticeHtml(req.QueryParam("saved") ? "Saved." : "");
  if (viewer.can_manage()) {
    body += "<div class=\"actions\"><a class=\"button secondary\" id=\"edit-customer\" href=\"" +
            Escape(base + "/edit") +
            "\">Edit</a><a class=\"button danger\" id=\"delete-customer\" "
            "href=\"" +
            Escape(base + "/delete") + "\">Delete…</a></div>";
  }
  body += "<div class=\"card\"><dl class=\"facts\"><dt>contact</dt><dd>" + Escape(c->contact) +
          "</dd><dt>support until</dt><dd>" + SupportExpiry(*c, Today(ui)) +
          "</dd><dt>machines</dt><dd id=\"customer-machines\">" + *machines +
          "</dd><dt>domains</dt><dd>" +
          Link(UrlWithQuery("/ui/domains", {{"customer", c->name}}),
               std::to_string(*total) + " in all") +
          *counts +
          "</dd></dl></div><h2>Certificates expiring within 30 days</h2><div class=\"card\">" +
          *expiring + "</div>";
  return HtmlResponse(Page(&viewer, c->name, "customers", body));
}

}  // namespace

void AddCustomerRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/customers", CustomersPage);
  AddPage(router, ui, "/ui/customers/{name}", CustomerPage);
}

}  // namespace certfleet::hub::ui
