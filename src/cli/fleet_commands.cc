#include "cli/fleet_commands.h"

#include <ostream>

#include "cli/domain_commands.h"
#include "cli/json_text.h"
#include "common/atomic_file.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string CustomerPath(const std::string& n) { return "/api/v1/customers/" + UrlEncode(n); }
std::string MachinePath(const std::string& n) { return "/api/v1/machines/" + UrlEncode(n); }

Table CustomerTable(const json& items) {
  Table t{{{"NAME", false, true}, {"CONTACT", false, true}, {"SUPPORT UNTIL"}}, {}, {}, -1};
  for (const auto& c : items) {
    t.rows.push_back({Text(c, "name"), Text(c, "contact"), Text(c, "support_expires")});
  }
  return t;
}

Table MachineTable(const json& items) {
  Table t{{{"NAME", false, true},
           {"ADDRESS"},
           {"CUSTOMER"},
           {"AGENT LAST SEEN"},
           {"AGENT VERSION", true}},
          {},
          {},
          -1};
  for (const auto& m : items) {
    t.rows.push_back({Text(m, "name"), Text(m, "address"), Text(m, "customer"),
                      Text(m, "agent_last_seen", "never"), Text(m, "agent_version")});
  }
  return t;
}

Status Emit(CliContext& ctx, const Table& table, const json& json_value, const std::string& human) {
  if (ctx.format == OutputFormat::kTable && !human.empty()) {
    ctx.out << human << "\n";
  } else {
    Print(ctx.out, ctx.format, table, json_value, ctx.terminal);
  }
  return Ok();
}

// The domains of a customer or machine, for `show`.
Result<json> DomainsWhere(CliContext& ctx, DomainFilterOptions filter) {
  return ListAllDomains(ctx, filter);
}

void PrintDomainSummary(CliContext& ctx, const json& domains) {
  std::map<std::string, int> by_state;
  for (const auto& d : Items(domains)) ++by_state[Text(d.value("state", json::object()), "label")];
  ctx.out << "domains:       " << Items(domains).size();
  for (const auto& [state, n] : by_state)
    ctx.out << (state.empty() ? "" : ", ") << n << " " << state;
  ctx.out << "\n";
  int shown = 0;
  for (const auto& d : Items(domains)) {
    const auto days = d.value("days_left", json());
    if (!days.is_number_integer() || days.get<std::int64_t>() > 30 || shown >= 10) continue;
    ctx.out << "  expiring:    " << Text(d, "name") << " in " << days.dump() << " days ("
            << Text(d, "issuer") << ")\n";
    ++shown;
  }
}

}  // namespace

Status RunCustomerAdd(CliContext& ctx, const CustomerOptions& o) {
  json body = {{"name", o.name}, {"contact", o.contact.value_or("")}};
  if (o.support_expires && !o.support_expires->empty())
    body["support_expires"] = *o.support_expires;
  auto created = ctx.hub.Post("/api/v1/customers", body);
  if (!created) return Fail(created.error());
  return Emit(ctx, CustomerTable(json::array({*created})), *created,
              "customer " + Text(*created, "name") + " added");
}

Status RunCustomerList(CliContext& ctx, const std::string& search) {
  auto page = ctx.hub.Get("/api/v1/customers?limit=1000" +
                          (search.empty() ? "" : "&q=" + UrlEncode(search)));
  if (!page) return Fail(page.error());
  Print(ctx.out, ctx.format, CustomerTable(Items(*page)), *page, ctx.terminal);
  return Ok();
}

Status RunCustomerShow(CliContext& ctx, const std::string& name) {
  auto c = ctx.hub.Get(CustomerPath(name));
  if (!c) return Fail(c.error());
  auto machines = ctx.hub.Get("/api/v1/machines?limit=1000");
  auto domains = DomainsWhere(ctx, {.customer = Text(*c, "name")});
  if (!machines) return Fail(machines.error());
  if (!domains) return Fail(domains.error());
  json own = json::array();
  for (const auto& m : Items(*machines)) {
    if (Text(m, "customer") == Text(*c, "name")) own.push_back(Field(m, "name"));
  }
  if (ctx.format != OutputFormat::kTable) {
    json out = *c;
    out["machines"] = own;
    out["domains"] = Items(*domains);
    return Emit(ctx, CustomerTable(json::array({*c})), out, "");
  }
  ctx.out << "customer:      " << Text(*c, "name") << "\n"
          << "contact:       " << Text(*c, "contact", "-") << "\n"
          << "support until: " << Text(*c, "support_expires", "-") << "\n"
          << "machines:      " << (own.empty() ? "-" : Joined(own)) << "\n";
  PrintDomainSummary(ctx, *domains);
  return Ok();
}

Status RunCustomerSet(CliContext& ctx, const CustomerOptions& o) {
  json body = json::object();
  if (o.new_name) body["name"] = *o.new_name;
  if (o.contact) body["contact"] = *o.contact;
  if (o.support_expires) {
    body["support_expires"] = o.support_expires->empty() ? json(nullptr) : json(*o.support_expires);
  }
  if (body.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give --name, --contact, --support-expires or "
                "--no-support-expires");
  }
  auto updated = ctx.hub.Patch(CustomerPath(o.name), body);
  if (!updated) return Fail(updated.error());
  return Emit(ctx, CustomerTable(json::array({*updated})), *updated,
              "customer " + Text(*updated, "name") + " updated");
}

Status RunCustomerDelete(CliContext& ctx, const std::string& name) {
  if (auto c = ctx.hub.Get(CustomerPath(name)); !c) return Fail(c.error());
  if (auto s = ConfirmOrRefuse(ctx, "delete customer " + name + "?"); !s) return s;
  if (auto r = ctx.hub.Delete(CustomerPath(name)); !r) return Fail(r.error());
  return Emit(ctx, {}, json{{"deleted", name}}, "customer " + name + " deleted");
}

Status RunMachineAdd(CliContext& ctx, const MachineOptions& o) {
  json body = {{"name", o.name}, {"address", o.address.value_or("")}};
  if (o.customer && !o.customer->empty()) body["customer"] = *o.customer;
  auto created = ctx.hub.Post("/api/v1/machines", body);
  if (!created) return Fail(created.error());
  return Emit(ctx, MachineTable(json::array({*created})), *created,
              "machine " + Text(*created, "name") +
                  " added; its agent needs a token: certfleet token create --role agent "
                  "--machine " +
                  Text(*created, "name"));
}

Status RunMachineList(CliContext& ctx, const std::string& search) {
  auto page = ctx.hub.Get("/api/v1/machines?limit=1000" +
                          (search.empty() ? "" : "&q=" + UrlEncode(search)));
  if (!page) return Fail(page.error());
  Print(ctx.out, ctx.format, MachineTable(Items(*page)), *page, ctx.terminal);
  return Ok();
}

Status RunMachineShow(CliContext& ctx, const std::string& name) {
  auto m = ctx.hub.Get(MachinePath(name));
  if (!m) return Fail(m.error());
  auto domains = DomainsWhere(ctx, {.machine = Text(*m, "name")});
  if (!domains) return Fail(domains.error());
  if (ctx.format != OutputFormat::kTable) {
    json out = *m;
    out["domains"] = Items(*domains);
    return Emit(ctx, MachineTable(json::array({*m})), out, "");
  }
  ctx.out << "machine:       " << Text(*m, "name") << "\n"
          << "address:       " << Text(*m, "address", "-") << "\n"
          << "customer:      " << Text(*m, "customer", "-") << "\n"
          << "agent:         "
          << (Text(*m, "agent_version").empty() ? "-" : Text(*m, "agent_version")) << ", last seen "
          << Text(*m, "agent_last_seen", "never") << "\n";
  PrintDomainSummary(ctx, *domains);
  for (const auto& d : Items(*domains)) {
    for (const auto& p : d.value("state", json::object()).value("problems", json::array())) {
      ctx.out << "  problem:     " << Text(d, "name") << ": " << p.get<std::string>() << "\n";
    }
  }
  return Ok();
}

Status RunMachineSet(CliContext& ctx, const MachineOptions& o) {
  json body = json::object();
  if (o.new_name) body["name"] = *o.new_name;
  if (o.address) body["address"] = *o.address;
  if (o.customer) body["customer"] = o.customer->empty() ? json(nullptr) : json(*o.customer);
  if (body.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "nothing to change: give --name, --address, --customer or --no-customer");
  }
  auto updated = ctx.hub.Patch(MachinePath(o.name), body);
  if (!updated) return Fail(updated.error());
  return Emit(ctx, MachineTable(json::array({*updated})), *updated,
              "machine " + Text(*updated, "name") + " updated");
}

Status RunMachineDelete(CliContext& ctx, const std::string& name) {
  if (auto m = ctx.hub.Get(MachinePath(name)); !m) return Fail(m.error());
  if (auto s = ConfirmOrRefuse(ctx, "delete machine " + name + " and revoke its agent tokens?");
      !s) {
    return s;
  }
  if (auto r = ctx.hub.Delete(MachinePath(name)); !r) {
    Error e = r.error();
    if (e.code == ErrorCode::kConflict) {
      e.message += " (certfleet machine drain " + name + " --to OTHER moves them)";
    }
    return Fail(e);
  }
  return Emit(ctx, {}, json{{"deleted", name}}, "machine " + name + " deleted");
}

Status RunMachineDrain(CliContext& ctx, const std::string& from, const std::string& to,
                       bool dry_run) {
  if (auto m = ctx.hub.Get(MachinePath(to)); !m) return Fail(m.error().WithContext("--to"));
  auto domains = ListAllDomains(ctx, {.machine = from});
  if (!domains) return Fail(domains.error());
  const auto& items = Items(*domains);
  if (!dry_run && items.size() > 1) {
    if (auto s = ConfirmOrRefuse(ctx, "move " + std::to_string(items.size()) + " domains from " +
                                          from + " to " + to + "?");
        !s) {
      return s;
    }
  }
  json results = json::array();
  int failed = 0;
  for (const auto& d : items) {
    const std::string name = Text(d, "name");
    std::string result = dry_run ? "would move" : "moved";
    if (!dry_run) {
      auto r = ctx.hub.Patch("/api/v1/domains/" + UrlEncode(name),
                             {{"add_machines", {to}}, {"remove_machines", {from}}});
      if (!r) {
        ++failed;
        result = "failed: " + r.error().message;
      }
    }
    results.push_back({{"name", name}, {"result", result}});
    if (!ctx.json()) ctx.out << name << ": " << result << "\n";
  }
  if (ctx.json()) ctx.out << json{{"results", results}, {"dry_run", dry_run}}.dump(2) << "\n";
  if (items.empty() && !ctx.json()) ctx.err << "machine " << from << " hosts no domain\n";
  if (failed > 0) ctx.exit_code = 1;
  return Ok();
}

Status RunCertUpload(CliContext& ctx, const CertUploadOptions& o) {
  auto chain = ReadFile(o.cert_file, 1u << 20);
  if (!chain) return Fail(chain.error().WithContext("--cert"));
  auto key = ReadFile(o.key_file, 1u << 20);
  if (!key) return Fail(key.error().WithContext("--key"));
  auto stored = ctx.hub.Post("/api/v1/domains/" + UrlEncode(o.domain) + "/certificate",
                             {{"chain_pem", *chain}, {"key_pem", *key}});
  if (!stored) return Fail(stored.error());
  return Emit(ctx, {}, *stored,
              "certificate for " + o.domain + " stored: serial " + Text(*stored, "serial") +
                  ", valid until " + Text(*stored, "not_after"));
}

}  // namespace certfleet::cli
