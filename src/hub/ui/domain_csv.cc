// GET /ui/domains.csv?<the list's filters>: every domain the current filter selects (not
// only the page shown), one row each, for spreadsheets. Cells that a spreadsheet would
// read as a formula (=, +, -, @) get a leading apostrophe.
#include "hub/api/json_model.h"
#include "hub/service/domain_state.h"
#include "hub/ui/domain_filters.h"
#include "hub/ui/format.h"
#include "hub/ui/layout.h"
#include "hub/ui/routes.h"
#include "hub/ui/ui_guard.h"

namespace certfleet::hub::ui {
namespace {

constexpr std::int64_t kMaxRows = 100'000;

std::string Cell(std::string_view text) {
  std::string value(text);
  if (!value.empty() && std::string_view("=+-@").find(value[0]) != std::string_view::npos) {
    value = "'" + value;
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : " ") + s;
  return out;
}

Result<std::string> Line(UiContext& ui, const store::Domain& d, api::NameCache& names,
                         TimePoint now) {
  auto state = service::LoadDomainState(ui.api.store, d, now);
  if (!state) return Fail(state.error());
  std::vector<std::string> machines;
  for (auto id : d.machine_ids) machines.push_back(names.Machine(id));
  std::string days;
  if (d.current_not_after) {
    days = std::to_string(
        std::chrono::floor<std::chrono::hours>(*d.current_not_after - now).count() / 24);
  }
  const std::vector<std::string> cells = {d.name,
                                          Joined(d.sans),
                                          d.customer_id ? names.Customer(*d.customer_id) : "",
                                          Joined(machines),
                                          d.issuer,
                                          std::string(store::DomainStatusName(d.status)),
                                          state->label,
                                          d.current_not_after ? TimeText(d.current_not_after) : "",
                                          days};
  std::string out;
  for (const auto& c : cells) out += (out.empty() ? "" : ",") + Cell(c);
  return out + "\r\n";
}

Result<http::Response> Csv(UiContext& ui, const http::Request& req, const Viewer&) {
  DomainFilters f = ReadDomainFilters(req);
  f.page = 1;
  f.after.clear();
  auto q = ToDomainQuery(ui, f);
  if (!q) return Fail(q.error());
  q->limit = 1000;
  q->count_limit = 0;  // follows the pages by keyset, no count needed
  api::NameCache names(ui.api.store);
  const TimePoint now = ui.api.clock.Now();
  std::string body = "name,other_names,customer,machines,issuer,status,state,expires,days_left\r\n";
  for (std::int64_t rows = 0; rows < kMaxRows; rows += q->limit) {
    auto page = ui.api.store.ListDomains(*q);
    if (!page) return Fail(page.error());
    for (const auto& d : page->items) {
      auto line = Line(ui, d, names, now);
      if (!line) return Fail(line.error());
      body += *line;
    }
    if (!page->more || page->items.empty()) break;
    q->after = store::KeyOf(page->items.back(), q->sort);
  }
  http::Response r;
  r.status = 200;
  r.body = std::move(body);
  r.headers.Set("Content-Type", "text/csv; charset=utf-8");
  r.headers.Set("Content-Disposition", "attachment; filename=\"domains.csv\"");
  r.headers.Set("X-Content-Type-Options", "nosniff");
  r.headers.Set("Cache-Control", "no-store");
  return r;
}

}  // namespace

void AddDomainCsvRoutes(http::Router& router, const UiPtr& ui) {
  AddPage(router, ui, "/ui/domains.csv", Csv);
}

}  // namespace certfleet::hub::ui
