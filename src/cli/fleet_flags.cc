// Flags of `certfleet customer|machine|token …`, `status`, `audit`, `events` and
// `issuer list` (see flags.h).
#include <memory>

#include "cli/flags.h"
#include "cli/fleet_commands.h"
#include "cli/json_text.h"
#include "cli/token_commands.h"
#include "cli/watch_commands.h"

namespace certfleet::cli {
namespace {

using StringOption = std::shared_ptr<std::string>;

// An optional string flag: set in `target` only when given.
CLI::Option* Optional(CLI::App* cmd, const std::string& flag, const std::string& help) {
  return cmd->add_option(flag, help);
}

void Take(CLI::Option* option, std::optional<std::string>& target) {
  if (option->count() > 0) target = option->as<std::string>();
}

void AddCustomer(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  auto* customer = app.add_subcommand("customer", "Customers")->require_subcommand(1);
  auto o = std::make_shared<CustomerOptions>();
  auto* add = customer->add_subcommand("add", "Add a customer");
  add->add_option("name", o->name, "Customer name")->required();
  auto* contact = Optional(add, "--contact", "E-mail, phone or person");
  auto* expires = Optional(add, "--support-expires", "Last day of support (YYYY-MM-DD)");
  OnCli(add, g, run, [o, contact, expires](CliContext& ctx) {
    Take(contact, o->contact);
    Take(expires, o->support_expires);
    return RunCustomerAdd(ctx, *o);
  });
  auto search = std::make_shared<std::string>();
  auto* list = customer->add_subcommand("list", "List customers");
  list->add_option("--search", *search, "Name contains");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Same as -o json");
  OnCli(list, g, run, [search, json](CliContext& ctx) {
    if (*json) ctx.format = OutputFormat::kJson;
    return RunCustomerList(ctx, *search);
  });
  auto name = std::make_shared<std::string>();
  auto* show = customer->add_subcommand("show", "A customer: machines, domains, expiries");
  show->add_option("name", *name, "Customer")->required();
  OnCli(show, g, run, [name](CliContext& ctx) { return RunCustomerShow(ctx, *name); });
  auto so = std::make_shared<CustomerOptions>();
  auto* set = customer->add_subcommand("set", "Change a customer");
  set->add_option("name", so->name, "Customer")->required();
  auto* rename = Optional(set, "--name", "New name");
  auto* scontact = Optional(set, "--contact", "E-mail, phone or person");
  auto* sexpires = Optional(set, "--support-expires", "Last day of support (YYYY-MM-DD)");
  auto no_expiry = std::make_shared<bool>(false);
  set->add_flag("--no-support-expires", *no_expiry, "Clear the support date")->excludes(sexpires);
  OnCli(set, g, run, [so, rename, scontact, sexpires, no_expiry](CliContext& ctx) {
    Take(rename, so->new_name);
    Take(scontact, so->contact);
    Take(sexpires, so->support_expires);
    if (*no_expiry) so->support_expires = "";
    return RunCustomerSet(ctx, *so);
  });
  auto* del = customer->add_subcommand("delete", "Delete a customer (asks)");
  del->add_option("name", *name, "Customer")->required();
  OnCli(del, g, run, [name](CliContext& ctx) { return RunCustomerDelete(ctx, *name); });
}

void AddMachine(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  auto* machine = app.add_subcommand("machine", "Hosting machines")->require_subcommand(1);
  auto o = std::make_shared<MachineOptions>();
  auto* add = machine->add_subcommand("add", "Add a machine");
  add->add_option("name", o->name, "Machine name, e.g. web-03")->required();
  auto* address = Optional(add, "--address", "Host name or IP (informational)");
  auto* customer = Optional(add, "--customer", "Owning customer");
  OnCli(add, g, run, [o, address, customer](CliContext& ctx) {
    Take(address, o->address);
    Take(customer, o->customer);
    return RunMachineAdd(ctx, *o);
  });
  auto search = std::make_shared<std::string>();
  auto* list = machine->add_subcommand("list", "List machines");
  list->add_option("--search", *search, "Name contains");
  auto json = std::make_shared<bool>(false);
  list->add_flag("--json", *json, "Same as -o json");
  OnCli(list, g, run, [search, json](CliContext& ctx) {
    if (*json) ctx.format = OutputFormat::kJson;
    return RunMachineList(ctx, *search);
  });
  auto name = std::make_shared<std::string>();
  auto* show = machine->add_subcommand("show", "A machine: its agent, what it serves, problems");
  show->add_option("name", *name, "Machine")->required();
  OnCli(show, g, run, [name](CliContext& ctx) { return RunMachineShow(ctx, *name); });
  auto so = std::make_shared<MachineOptions>();
  auto* set = machine->add_subcommand("set", "Change a machine");
  set->add_option("name", so->name, "Machine")->required();
  auto* rename = Optional(set, "--name", "New name");
  auto* saddress = Optional(set, "--address", "Host name or IP");
  auto* scustomer = Optional(set, "--customer", "Owning customer");
  auto no_customer = std::make_shared<bool>(false);
  set->add_flag("--no-customer", *no_customer, "Belongs to no customer")->excludes(scustomer);
  OnCli(set, g, run, [so, rename, saddress, scustomer, no_customer](CliContext& ctx) {
    Take(rename, so->new_name);
    Take(saddress, so->address);
    Take(scustomer, so->customer);
    if (*no_customer) so->customer = "";
    return RunMachineSet(ctx, *so);
  });
  auto* del = machine->add_subcommand("delete", "Delete a machine, revoke its agent tokens (asks)");
  del->add_option("name", *name, "Machine")->required();
  OnCli(del, g, run, [name](CliContext& ctx) { return RunMachineDelete(ctx, *name); });
  auto to = std::make_shared<std::string>();
  auto dry = std::make_shared<bool>(false);
  auto* drain = machine->add_subcommand("drain", "Move every domain of a machine to another");
  drain->add_option("name", *name, "Machine to empty")->required();
  drain->add_option("--to", *to, "Machine that takes them")->required();
  drain->add_flag("--dry-run", *dry, "Only list what would move");
  OnCli(drain, g, run,
        [name, to, dry](CliContext& ctx) { return RunMachineDrain(ctx, *name, *to, *dry); });
}

void AddToken(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  auto* token = app.add_subcommand("token", "API tokens (admin)")->require_subcommand(1);
  auto o = std::make_shared<TokenCreateOptions>();
  auto* create = token->add_subcommand("create", "Create a token; prints the secret once");
  create->add_option("--role", o->role, "admin|support|readonly|agent|metrics")
      ->required()
      ->check(CLI::IsMember({"admin", "support", "readonly", "agent", "metrics"}));
  create->add_option("--machine", o->machine, "The machine of an agent token");
  create->add_option("--name", o->name, "A label (default: \"<machine> agent\" or the role)");
  OnCli(create, g, run, [o](CliContext& ctx) { return RunTokenCreate(ctx, *o); });
  auto lo = std::make_shared<TokenListOptions>();
  auto* list = token->add_subcommand("list", "List live tokens (never their secrets)");
  list->add_option("--machine", lo->machine, "Agent tokens of this machine");
  list->add_option("--role", lo->role, "Tokens of this role");
  list->add_flag("--all", lo->all, "Revoked tokens too");
  OnCli(list, g, run, [lo](CliContext& ctx) { return RunTokenList(ctx, *lo); });
  auto id = std::make_shared<std::string>();
  auto* revoke = token->add_subcommand("revoke", "Revoke a token by id or by name");
  revoke->add_option("token", *id, "Id (certfleet token list) or exact name")->required();
  OnCli(revoke, g, run, [id](CliContext& ctx) { return RunTokenRevoke(ctx, *id); });
  auto machine = std::make_shared<std::string>();
  auto revoke_old = std::make_shared<bool>(false);
  auto* rotate = token->add_subcommand("rotate", "A new agent token for a machine");
  rotate->add_option("--machine", *machine, "The machine")->required();
  rotate->add_flag("--revoke-old", *revoke_old, "Revoke its other agent tokens now");
  OnCli(rotate, g, run, [machine, revoke_old](CliContext& ctx) {
    return RunTokenRotate(ctx, *machine, *revoke_old);
  });
}

}  // namespace

void AddCustomerMachineCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  AddCustomer(app, g, run);
  AddMachine(app, g, run);
}

void AddTokenCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  AddToken(app, g, run);
}

void AddWatchCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  auto* status = app.add_subcommand(
      "status", "What needs attention; exit 1 when something does (cron, monitoring)");
  OnCli(status, g, run, [](CliContext& ctx) { return RunStatus(ctx); });
  auto o = std::make_shared<AuditOptions>();
  auto* audit = app.add_subcommand("audit", "Who changed what, newest first");
  audit->add_option("--since", o->since, "24h, 7d, 30m, 2026-12-05 or 2026-12-05T10:00:00Z");
  audit->add_option("--domain", o->domain, "About this domain (name contains)");
  audit->add_option("--customer", o->customer, "About this customer, its machines and domains");
  audit->add_option("--machine", o->machine, "About this machine");
  audit->add_option("--actor", o->actor, "Done by this person or token (name contains)");
  audit->add_option("--limit", o->limit, "At most this many")->check(CLI::Range(1, 100000));
  audit->footer("Example: certfleet audit --since 24h --customer acme-shop");
  OnCli(audit, g, run, [o](CliContext& ctx) { return RunAudit(ctx, *o); });
  auto since = std::make_shared<long long>(-1);
  auto follow = std::make_shared<bool>(false);
  auto* events = app.add_subcommand("events", "The event stream (what agents follow)");
  events->add_option("--since", *since, "Revision to start after (default: now)");
  events->add_flag("-f,--follow", *follow, "Keep waiting for new events");
  OnCli(events, g, run,
        [since, follow](CliContext& ctx) { return RunEvents(ctx, *since, *follow); });
  auto* issuer = app.add_subcommand("issuer", "Issuers")->require_subcommand(1);
  auto* ilist = issuer->add_subcommand("list", "The issuers a domain may use");
  OnCli(ilist, g, run, [](CliContext& ctx) -> Status {
    auto issuers = ctx.hub.Get("/api/v1/issuers");
    if (!issuers) return Fail(issuers.error());
    Table t{{{"NAME"}, {"KIND"}, {"DEFAULT"}, {"DNS-01"}, {"DIRECTORY", true}}, {}, {}, -1};
    for (const auto& i : Items(*issuers)) {
      t.rows.push_back({i.value("name", ""), i.value("kind", ""),
                        i.value("default", false) ? "yes" : "",
                        i.value("dns01", false) ? "yes" : "", Text(i, "directory")});
    }
    Print(ctx.out, ctx.format, t, *issuers, ctx.terminal);
    return Ok();
  });
}

}  // namespace certfleet::cli
