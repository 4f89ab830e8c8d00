// GET /ui/domains: the domains table with server-side search, filters, sortable columns,
// pages, a CSV link for the current filter (domain_csv.cc) and, for support and admin,
// checkboxes for the bulk actions (domain_bulk.cc). The filter form asks htmx for the
// table only (hx-get, pushed to the address bar); without htmx the same URL renders the
// whole page. One indexed ListDomains query per request, plus the state of each row shown.
#include "hub/api/json_model.h"
#include "hub/service/domain_state.h"
#include "hub/ui/domain_filters.h"
#include "hub/ui/form_view.h"
#include "hub/ui/format.h"
#include "hub/ui/html.h"
#include "hub/ui/layout.h"
#include "hub/ui/picker.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

std::string HxLink(const std::string& url, std::string_view text, std::string_view extra = "") {
  return "<a href=\"" + Escape(url) + "\" hx-get=\"" + Escape(url) +
         "\" hx-target=\"#domain-table\" hx-swap=\"outerHTML\" hx-push-url=\"true\"" +
         std::string(extra) + ">" + Escape(text) + "</a>";
}

// A column header that sorts by `key`; a second click reverses the order.
std::string SortHeader(const DomainFilters& f, std::string_view key, std::string_view label,
                       std::string_view cls = "") {
  DomainFilters next = f;
  next.sort = std::string(key);
  next.page = 1;
  const bool active = f.sort == key || (f.sort.empty() && key == "name");
  const bool descending = active && (f.order == "desc" || (f.order.empty() && key == "updated"));
  next.order = active && !descending ? "desc" : "asc";
  std::string arrow = active ? (descending ? " ▼" : " ▲") : "";
  return "<th" + (cls.empty() ? "" : " class=\"" + Escape(cls) + "\"") +
         (active ? std::string(" aria-sort=\"") + (descending ? "descending" : "ascending") + "\""
                 : "") +
         ">" + HxLink(DomainListUrl(next), std::string(label) + arrow, " class=\"sort\"") + "</th>";
}

Result<std::string> Row(UiContext& ui, const store::Domain& d, api::NameCache& names, TimePoint now,
                        bool selectable) {
  auto state = service::LoadDomainState(ui.api.store, d, now);
  if (!state) return Fail(state.error());
  std::string machines;
  for (auto id : d.machine_ids)
    machines += (machines.empty() ? "" : ", ") + Escape(names.Machine(id));
  std::string out = "<tr>";
  if (selectable) {
    out += "<td><input type=\"checkbox\" name=\"selected\" form=\"bulk-form\" value=\"" +
           Escape(d.name) + "\" aria-label=\"select " + Escape(d.name) + "\"></td>";
  }
  return out + "<td>" + Link("/ui/domains/" + UrlComponent(d.name), d.name) +
         "</td><td class=\"optional\">" +
         (d.customer_id ? Escape(names.Customer(*d.customer_id)) : "") + "</td><td title=\"" +
         Escape(state->problems.empty() ? "" : state->problems.front()) + "\">" +
         StateBadgeHtml(*state) + "</td><td class=\"optional\">" + Escape(d.issuer) + "</td><td>" +
         ExpiryHtml(now, d.current_not_after) + "</td><td class=\"optional\">" + machines +
         "</td></tr>";
}

std::string Pager(const DomainFilters& f, std::int64_t total) {
  const std::int64_t pages =
      std::max<std::int64_t>(1, (total + kDomainPageSize - 1) / kDomainPageSize);
  std::string out = "<div class=\"pager\"><span id=\"domain-total\">" + std::to_string(total) +
                    " domain" + (total == 1 ? "" : "s") + " · page " + std::to_string(f.page) +
                    " of " + std::to_string(pages) + "</span>";
  if (f.page > 1) out += HxLink(DomainListUrl(f, "/ui/domains", f.page - 1), "‹ previous");
  if (f.page < pages) out += HxLink(DomainListUrl(f, "/ui/domains", f.page + 1), "next ›");
  out += "<a id=\"csv-export\" href=\"" + Escape(DomainListUrl(f, "/ui/domains.csv")) +
         "\" download>CSV of these " + std::to_string(total) + "</a>";
  return out + "</div>";
}

Result<std::string> BulkBar(UiContext& ui, const DomainFilters& f, const Viewer& viewer) {
  auto target = MachineSelectHtml(ui, "to", "bulk-to", "", "(choose a machine)");
  if (!target) return Fail(target.error());
  return "<form class=\"bulk\" id=\"bulk-form\" method=\"post\" action=\"/ui/domains/bulk\">" +
         CsrfField(viewer.session) + "<input type=\"hidden\" name=\"from\" value=\"" +
         Escape(f.machine) + "\"><span class=\"muted\">With the selected domains:</span> " +
         "<button type=\"submit\" name=\"action\" value=\"issue\" "
         "id=\"bulk-issue\">Re-issue</button>" +
         "<label class=\"inline\" for=\"bulk-to\">move to</label>" + *target +
         "<button type=\"submit\" name=\"action\" value=\"move\" id=\"bulk-move\" "
         "class=\"secondary\">Move</button><span class=\"hint\">" +
         (f.machine.empty() ? "(added to the machine)" : "(from " + Escape(f.machine) + ")") +
         "; you confirm on the next page.</span></form>";
}

Result<std::string> Table(UiContext& ui, const DomainFilters& f, const Viewer& viewer) {
  auto q = ToDomainQuery(ui, f);
  if (!q) return Fail(q.error());
  auto page = ui.api.store.ListDomains(*q);
  if (!page) return Fail(page.error());
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  const bool selectable = viewer.can_manage();
  std::string out = "<div id=\"domain-table\">" + Pager(f, page->total);
  if (selectable) {
    auto bar = BulkBar(ui, f, viewer);
    if (!bar) return Fail(bar.error());
    out += *bar;
  }
  out += "<div class=\"table-wrap\"><table id=\"domains\"><thead><tr>";
  if (selectable) {
    out +=
        "<th><input type=\"checkbox\" data-select-all=\"selected\" aria-label=\"select all on "
        "this page\"></th>";
  }
  out += SortHeader(f, "name", "domain") + "<th class=\"optional\">customer</th>" +
         SortHeader(f, "state", "state") + "<th class=\"optional\">issuer</th>" +
         SortHeader(f, "expiry", "expires") +
         "<th class=\"optional\">machines</th></tr></thead><tbody>";
  for (const auto& d : page->items) {
    auto row = Row(ui, d, names, now, selectable);
    if (!row) return Fail(row.error());
    out += *row;
  }
  if (page->items.empty()) {
    out += "<tr><td colspan=\"7\" class=\"muted\">No domain matches.</td></tr>";
  }
  return out + "</tbody></table></div></div>";
}

Result<std::string> FilterForm(UiContext& ui, const DomainFilters& f) {
  auto customers =
      CustomerSelectHtml(ui, "customer", "filter-customer", f.customer, "any customer");
  auto machines = MachineSelectHtml(ui, "machine", "filter-machine", f.machine, "any machine");
  if (!customers) return Fail(customers.error());
  if (!machines) return Fail(machines.error());
  std::string out =
      "<form class=\"filters\" method=\"get\" action=\"/ui/domains\" hx-get=\"/ui/domains\" "
      "hx-target=\"#domain-table\" hx-swap=\"outerHTML\" hx-push-url=\"true\" "
      "hx-trigger=\"input changed delay:300ms from:#search, change, submit\">"
      "<input type=\"search\" id=\"search\" name=\"q\" placeholder=\"search names\" "
      "aria-label=\"search\" value=\"" +
      Escape(f.q) + "\"><select name=\"status\" aria-label=\"state\">" +
      OptionHtml("", "any state", f.status);
  for (auto s : {"valid", "renewing", "issuing", "failed", "pending"}) {
    out += OptionHtml(s, s, f.status);
  }
  out += "</select>" + HiddenLabelHtml("filter-customer", "customer") + *customers +
         HiddenLabelHtml("filter-machine", "machine") + *machines +
         "<select name=\"issuer\" aria-label=\"issuer\">" + OptionHtml("", "any issuer", f.issuer);
  for (const auto& issuer : ui.api.config.issuers)
    out += OptionHtml(issuer.name, issuer.name, f.issuer);
  out += OptionHtml(store::kManualIssuer, "manual", f.issuer) +
         "</select><select name=\"expiring\" aria-label=\"expiry\">" +
         OptionHtml("", "any expiry", f.expiring) + OptionHtml("0", "expired", f.expiring) +
         OptionHtml("7", "within 7 days", f.expiring) +
         OptionHtml("30", "within 30 days", f.expiring) +
         OptionHtml("90", "within 90 days", f.expiring) + "</select>";
  if (!f.sort.empty())
    out += "<input type=\"hidden\" name=\"sort\" value=\"" + Escape(f.sort) + "\">";
  if (!f.order.empty())
    out += "<input type=\"hidden\" name=\"order\" value=\"" + Escape(f.order) + "\">";
  return out + "<noscript><button type=\"submit\">Filter</button></noscript></form>";
}

Result<http::Response> DomainsPage(UiContext& ui, const http::Request& req, const Viewer& viewer) {
  const DomainFilters f = ReadDomainFilters(req);
  auto table = Table(ui, f, viewer);
  if (!table) return Fail(table.error());
  if (IsHtmx(req)) return HtmlResponse(std::move(*table));
  auto filters = FilterForm(ui, f);
  if (!filters) return Fail(filters.error());
  std::string body = "<h1>Domains</h1>";
  if (auto deleted = req.QueryParam("deleted"))
    body += NoticeHtml("Deleted " + std::string(*deleted) + ".");
  if (viewer.can_manage()) {
    body +=
        "<div class=\"actions\"><a class=\"button\" id=\"add-domain\" href=\"/ui/domains/new\">Add "
        "domain</a></div>";
  }
  body += *filters + *table;
  return HtmlResponse(Page(&viewer, "Domains", "domains", body));
}

}  // namespace

void AddDomainListRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains", DomainsPage);
}

}  // namespace certfleet::hub::ui
