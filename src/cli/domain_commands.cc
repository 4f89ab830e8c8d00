#include "cli/domain_commands.h"

#include <ostream>

#include "cli/json_text.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string ApiSort(const std::string& sort) {
  if (sort == "expires") return "not_after";
  if (sort == "updated") return "updated_at";
  if (sort == "next") return "next_attempt_at";
  return sort;
}

std::string Days(const json& d) {
  return Field(d, "days_left").is_number() ? Field(d, "days_left").dump() : "";
}

}  // namespace

Table DomainTable(const json& items) {
  Table t{{{"NAME", false, true},
           {"CUSTOMER"},
           {"STATE"},
           {"ISSUER"},
           {"EXPIRES"},
           {"DAYS"},
           {"MACHINES", false, true},
           {"OTHER NAMES", true},
           {"NEXT TRY", true},
           {"PROBLEMS", true}},
          {},
          {},
          2};
  for (const auto& d : items) {
    const json& state = d.value("state", json::object());
    t.rows.push_back({Text(d, "name"), Text(d, "customer"), Text(state, "label", Text(d, "status")),
                      Text(d, "issuer"), DateOf(d, "not_after"), Days(d),
                      Joined(Field(d, "machines"), ","), Joined(Field(d, "sans"), ","),
                      Text(d, "next_attempt_at"),
                      Joined(state.value("problems", json::array()), "; ")});
    t.tones.push_back(Text(state, "tone"));
  }
  return t;
}

void PrintDomain(CliContext& ctx, const json& d) {
  std::ostream& out = ctx.out;
  const json& state = d.value("state", json::object());
  out << "domain:       " << Text(d, "name") << "\n";
  if (!Joined(Field(d, "sans")).empty())
    out << "other names:  " << Joined(Field(d, "sans")) << "\n";
  out << "state:        " << Text(state, "label", Text(d, "status")) << "\n";
  for (const auto& p : state.value("problems", json::array())) {
    out << "  problem:    " << (p.is_string() ? p.get<std::string>() : p.dump()) << "\n";
  }
  out << "issuance:     " << Text(d, "status") << " (issuer " << Text(d, "issuer") << ", "
      << Text(d, "key_type") << ")\n"
      << "customer:     " << Text(d, "customer", "-") << "\n"
      << "machines:     " << Joined(Field(d, "machines")) << "\n";
  if (const auto err = Text(d, "last_error"); !err.empty()) out << "last error:   " << err << "\n";
  if (const auto next = Text(d, "next_attempt_at"); !next.empty()) {
    out << "next try:     " << next << "\n";
  }
  const json& cert = d.value("current_certificate", json());
  if (cert.is_object()) {
    out << "certificate:  serial " << Text(cert, "serial") << ", valid until "
        << Text(cert, "not_after") << " (" << Days(d) << " days left)\n"
        << "              sha256 " << Text(cert, "sha256") << "\n"
        << "              names " << Joined(Field(cert, "names")) << "\n";
  }
  if (const auto renew = Text(d, "renew_at"); !renew.empty()) {
    out << "renews at:    " << renew << "\n";
  }
  for (const auto& dep : d.value("deployments", json::array())) {
    out << "deployment:   " << Text(dep, "machine") << " " << Text(dep, "status");
    if (const auto err = Text(dep, "error"); !err.empty()) out << " (" << err << ")";
    out << "\n";
  }
  for (const auto& o : d.value("orders", json::array())) {
    out << "order:        #" << Text(o, "attempt") << " " << Text(o, "state") << " started "
        << Text(o, "started_at");
    if (const auto err = Text(o, "error"); !err.empty()) out << ": " << err;
    out << "\n";
  }
}

std::string DomainPath(const std::string& name) { return "/api/v1/domains/" + UrlEncode(name); }

bool IsEmpty(const DomainFilterOptions& f) {
  return f.search.empty() && f.statuses.empty() && f.customer.empty() && f.machine.empty() &&
         f.issuer.empty() && f.expiring_days < 0;
}

std::string FilterQuery(const DomainFilterOptions& f) {
  std::string q;
  auto add = [&q](const char* key, const std::string& value) {
    if (!value.empty()) q += std::string(q.empty() ? "?" : "&") + key + "=" + UrlEncode(value);
  };
  add("q", f.search);
  std::string statuses;
  for (const auto& s : f.statuses) statuses += (statuses.empty() ? "" : ",") + s;
  add("status", statuses);
  add("customer", f.customer);
  add("machine", f.machine);
  add("issuer", f.issuer);
  if (f.expiring_days >= 0) add("expiring_within_days", std::to_string(f.expiring_days));
  return q;
}

Result<json> ListAllDomains(CliContext& ctx, const DomainFilterOptions& f) {
  const std::string base = "/api/v1/domains" + FilterQuery(f);
  const char sep = base.find('?') == std::string::npos ? '?' : '&';
  json items = json::array();
  // Follows each page's `next` cursor; a hub from before cursors has none, and is paged
  // by offset up to its total.
  std::string next;
  for (std::int64_t offset = 0;; offset += 1000) {
    auto page = ctx.hub.Get(
        base + sep + "limit=1000" +
        (next.empty() ? "&offset=" + std::to_string(offset) : "&after=" + UrlEncode(next)));
    if (!page) return Fail(page.error());
    for (const auto& d : Items(*page)) items.push_back(d);
    if (Items(*page).empty()) break;
    if (page->contains("next")) {
      if (!(*page)["next"].is_string()) break;
      next = (*page)["next"].get<std::string>();
    } else if (offset + 1000 >= page->value("total", std::int64_t{0})) {
      break;
    }
  }
  const auto count = static_cast<std::int64_t>(items.size());
  return json{{"items", items}, {"total", count}};
}

Status RunDomainAdd(CliContext& ctx, const DomainAddOptions& o) {
  json body = {{"name", o.name}, {"machines", o.machines}, {"sans", o.sans}};
  if (!o.customer.empty()) body["customer"] = o.customer;
  if (!o.issuer.empty()) body["issuer"] = o.issuer;
  if (!o.key_type.empty()) body["key_type"] = o.key_type;
  if (!o.profile.empty()) body["profile"] = o.profile;
  auto created = ctx.hub.Post("/api/v1/domains", body);
  if (!created) return Fail(created.error());
  if (ctx.format != OutputFormat::kTable) {
    Print(ctx.out, ctx.format, DomainTable(json::array({*created})), *created, ctx.terminal);
    return Ok();
  }
  ctx.out << "domain " << Text(*created, "name") << " added (issuer " << Text(*created, "issuer")
          << ", status " << Text(*created, "status") << ")\n";
  if (Text(*created, "issuer") == "manual") {
    ctx.out << "next: upload its certificate: certfleet cert upload " << Text(*created, "name")
            << " --cert FULLCHAIN.pem --key KEY.pem\n";
  }
  return Ok();
}

Status RunDomainList(CliContext& ctx, const DomainListOptions& o) {
  if (o.json) ctx.format = OutputFormat::kJson;
  Result<json> page = json();
  if (o.all) {
    page = ListAllDomains(ctx, o.filter);
  } else {
    std::string path = "/api/v1/domains" + FilterQuery(o.filter);
    path += std::string(path.find('?') == std::string::npos ? "?" : "&") +
            "limit=" + std::to_string(o.limit) + "&offset=" + std::to_string(o.offset) +
            (o.after.empty() ? "" : "&after=" + UrlEncode(o.after)) + "&sort=" + ApiSort(o.sort) +
            (o.descending ? "&order=desc" : "");
    page = ctx.hub.Get(path);
  }
  if (!page) return Fail(page.error());
  Print(ctx.out, ctx.format, DomainTable(Items(*page)), *page, ctx.terminal);
  if (ctx.format == OutputFormat::kTable || ctx.format == OutputFormat::kWide) {
    // The hub counts up to 10,000 matches; past that `total` is a lower bound.
    const bool more_than = page->value("total_is_lower_bound", false);
    ctx.err << Items(*page).size() << " of " << (more_than ? "more than " : "")
            << Text(*page, "total") << " domains";
    if (!o.all && page->contains("next") && (*page)["next"].is_string()) {
      ctx.err << " (--all for every page, or the next page with --after "
              << (*page)["next"].get<std::string>() << ")";
    } else if (!o.all && !page->contains("next") &&
               static_cast<std::int64_t>(Items(*page).size()) + o.offset <
                   page->value("total", std::int64_t{0})) {
      ctx.err << " (--all for every page, or --offset " << o.offset + o.limit << ")";
    }
    ctx.err << "\n";
  }
  return Ok();
}

Status RunDomainShow(CliContext& ctx, const std::string& name) {
  auto d = ctx.hub.Get(DomainPath(name));
  if (!d) return Fail(d.error());
  if (ctx.format == OutputFormat::kTable) {
    PrintDomain(ctx, *d);
  } else {
    Print(ctx.out, ctx.format, DomainTable(json::array({*d})), *d, ctx.terminal);
  }
  return Ok();
}

Status RunDomainSet(CliContext& ctx, const DomainSetOptions& o) {
  json body = json::object();
  if (!o.add_machines.empty()) body["add_machines"] = o.add_machines;
  if (!o.remove_machines.empty()) body["remove_machines"] = o.remove_machines;
  if (!o.add_sans.empty()) body["add_sans"] = o.add_sans;
  if (!o.remove_sans.empty()) body["remove_sans"] = o.remove_sans;
  if (o.machines) body["machines"] = *o.machines;
  if (o.customer) body["customer"] = o.customer->empty() ? json(nullptr) : json(*o.customer);
  if (o.issuer) body["issuer"] = *o.issuer;
  if (o.key_type) body["key_type"] = *o.key_type;
  if (o.profile) body["profile"] = *o.profile;
  if (body.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give --add-machine, --remove-machine, --add-san, "
                "--remove-san, --machine, --customer, --no-customer, --issuer, --key-type or "
                "--profile");
  }
  auto updated = ctx.hub.Patch(DomainPath(o.name), body);
  if (!updated) return Fail(updated.error());
  if (ctx.format != OutputFormat::kTable) {
    Print(ctx.out, ctx.format, DomainTable(json::array({*updated})), *updated, ctx.terminal);
    return Ok();
  }
  ctx.out << "domain " << Text(*updated, "name") << " updated: machines "
          << Joined(Field(*updated, "machines")) << "; other names "
          << (Joined(Field(*updated, "sans")).empty() ? "-" : Joined(Field(*updated, "sans")))
          << "; issuer " << Text(*updated, "issuer") << "\n";
  return Ok();
}

Status RunDomainDelete(CliContext& ctx, const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  for (const auto& n : names) {  // every name must exist before anything is deleted
    if (auto d = ctx.hub.Get(DomainPath(n)); !d) return Fail(d.error());
  }
  if (auto s = ConfirmOrRefuse(ctx, "delete " + list + " with their certificates and history?");
      !s) {
    return s;
  }
  for (const auto& n : names) {
    if (auto r = ctx.hub.Delete(DomainPath(n)); !r) return Fail(r.error().WithContext(n));
    if (!ctx.json()) ctx.out << "domain " << n << " deleted\n";
  }
  if (ctx.json()) ctx.out << json{{"deleted", names}}.dump(2) << "\n";
  return Ok();
}

Status RunDomainIssue(CliContext& ctx, const DomainIssueOptions& o) {
  json targets = json::array();
  if (!o.names.empty()) {
    if (!IsEmpty(o.filter) || o.all) {
      return Fail(ErrorCode::kInvalidArgument, "give domain names or a filter, not both");
    }
    for (const auto& n : o.names) targets.push_back({{"name", n}, {"issuer", ""}});
  } else {
    if (IsEmpty(o.filter) && !o.all) {
      return Fail(ErrorCode::kInvalidArgument,
                  "which domains? give names, a filter (--machine, --customer, --status, "
                  "--issuer, --expiring) or --all");
    }
    auto all = ListAllDomains(ctx, o.filter);
    if (!all) return Fail(all.error());
    targets = Items(*all);
    if (!o.dry_run && targets.size() > 1) {
      if (auto s = ConfirmOrRefuse(ctx, "re-issue " + std::to_string(targets.size()) + " domains?");
          !s) {
        return s;
      }
    }
  }
  json results = json::array();
  int failed = 0;
  for (const auto& d : targets) {
    const std::string name = Text(d, "name");
    std::string result;
    if (Text(d, "issuer") == "manual") {
      result = "skipped: issuer manual (upload its certificate instead)";
    } else if (o.dry_run) {
      result = "would re-issue";
    } else if (auto r = ctx.hub.Post(DomainPath(name) + "/issue", json::object()); !r) {
      if (targets.size() == 1) return Fail(r.error());  // one name: its error, its exit code
      ++failed;
      result = "failed: " + r.error().message;
    } else {
      result = "issuance requested";
    }
    results.push_back({{"name", name}, {"result", result}});
    if (!ctx.json()) {
      ctx.out << (targets.size() == 1 && !o.dry_run && result == "issuance requested"
                      ? "issuance of " + name + " requested"
                      : name + ": " + result)
              << "\n";
    }
  }
  if (ctx.json()) ctx.out << json{{"results", results}, {"dry_run", o.dry_run}}.dump(2) << "\n";
  if (failed > 0) {
    ctx.err << failed << " of " << targets.size() << " failed\n";
    ctx.exit_code = 1;
  }
  return Ok();
}

}  // namespace certfleet::cli
