// GET /ui/domains: the domains table with server-side search, filters, sortable columns,
// pages, a CSV link for the current filter (domain_csv.cc) and, for support and admin,
// checkboxes for the bulk actions (domain_bulk.cc). The filter form asks htmx for the
// table only (hx-get, pushed to the address bar); without htmx the same URL renders the
// whole page. One indexed ListDomains query per request, plus the state of each row shown.
#include <algorithm>
#include <utility>

#include "hub/api/domain_cursor.h"
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
  next.after.clear();
  next.before.clear();
  const bool active = f.sort == key || (f.sort.empty() && key == "name");
  const bool descending = active && (f.order == "desc" || (f.order.empty() && key == "updated"));
  next.order = active && !descending ? "desc" : "asc";
  std::string arrow = active ? (descending ? " ▼" : " ▲") : "";
  return "<th" + (cls.empty() ? "" : " class=\"" + Escape(cls) + "\"") +
         (active ? std::string(" aria-sort=\"") + (descending ? "descending" : "ascending") + "\""
                 : "") +
         ">" + HxLink(DomainListUrl(next), std::string(label) + arrow, " class=\"sort\"") + "</th>";
}

std::string Row(const store::Domain& d, const service::DomainState& state, api::NameCache& names,
                TimePoint now, bool selectable) {
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
         Escape(state.problems.empty() ? "" : state.problems.front()) + "\">" +
         StateBadgeHtml(state) + "</td><td class=\"optional\">" + Escape(d.issuer) + "</td><td>" +
         ExpiryHtml(now, d.current_not_after) + "</td><td class=\"optional\">" + machines +
         "</td></tr>";
}

// Where the shown page sits: rows before it (a "previous" link), rows after it ("next").
struct PageLinks {
  std::string previous, next;  // cursors; empty = no such page
  bool first_page = true;
};

std::string Pager(const DomainFilters& f, const store::Page<store::Domain>& page,
                  const PageLinks& links) {
  const std::string count = (page.total_is_lower_bound ? "more than " : "") +
                            std::to_string(page.total) + " domain" +
                            (page.total == 1 && !page.total_is_lower_bound ? "" : "s");
  std::string out = "<div class=\"pager\"><span id=\"domain-total\">" + count + "</span>";
  if (!links.first_page) out += HxLink(DomainListUrl(f), "« first");
  if (!links.previous.empty()) {
    out += HxLink(DomainPageUrl(f, "before", links.previous), "‹ previous");
  }
  if (!links.next.empty()) out += HxLink(DomainPageUrl(f, "after", links.next), "next ›");
  out += "<a id=\"csv-export\" href=\"" + Escape(DomainListUrl(f, "/ui/domains.csv")) +
         "\" download>CSV of these " +
         (page.total_is_lower_bound ? "" : std::to_string(page.total)) +
         (page.total_is_lower_bound ? "domains" : "") + "</a>";
  return out + "</div>";
}

// One page of the list: after f.after (or f.page's offset), or the page before f.before,
// read in the reverse order and turned around.
Result<std::pair<store::Page<store::Domain>, PageLinks>> ReadPage(UiContext& ui,
                                                                  const DomainFilters& f) {
  auto q = ToDomainQuery(ui, f);
  if (!q) return Fail(q.error());
  const bool backwards = !f.before.empty() && f.after.empty();
  if (backwards) {
    auto key = api::DecodeDomainCursor(f.before, q->sort, q->descending, "before");
    if (!key) return Fail(key.error());
    q->after = std::move(*key);
    q->descending = !q->descending;
    q->offset = 0;
  }
  auto page = ui.api.store.ListDomains(*q);
  if (!page) return Fail(page.error());
  if (backwards) {
    q->descending = !q->descending;
    std::reverse(page->items.begin(), page->items.end());
  }
  PageLinks links;
  links.first_page = !backwards && f.after.empty() && f.page <= 1;
  if (!page->items.empty()) {
    const auto cursor = [&](const store::Domain& d) {
      return api::EncodeDomainCursor(q->sort, q->descending, store::KeyOf(d, q->sort));
    };
    // Going back, `more` says rows precede the page; a page reached going forward
    // always has rows before it.
    if (backwards ? page->more : !links.first_page) links.previous = cursor(page->items.front());
    if (backwards || page->more) links.next = cursor(page->items.back());
    if (backwards && !page->more) links.first_page = true;
  }
  return std::pair{std::move(*page), std::move(links)};
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
  auto read = ReadPage(ui, f);
  if (!read) return Fail(read.error());
  const store::Page<store::Domain>& page = read->first;
  const PageLinks& links = read->second;
  api::NameCache names(ui.api.store);
  names.Prefetch(page.items);
  const TimePoint now = ui.api.clock.Now();
  const bool selectable = viewer.can_manage();
  std::string out = "<div id=\"domain-table\">" + Pager(f, page, links);
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
  auto states = service::LoadDomainStates(ui.api.store, page.items, now);
  if (!states) return Fail(states.error());
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    out += Row(page.items[i], (*states)[i], names, now, selectable);
  }
  if (page.items.empty()) {
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
