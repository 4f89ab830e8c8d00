// Flags of `certfleet domain …` and `certfleet cert upload` (see flags.h).
#include <iostream>
#include <memory>

#include "cli/domain_commands.h"
#include "cli/flags.h"
#include "cli/fleet_commands.h"

namespace certfleet::cli {
namespace {

// Adds the list filters; `statuses` takes "failed,pending" or repeated --status.
void AddFilterFlags(CLI::App* cmd, DomainFilterOptions& f) {
  cmd->add_option("--search", f.search, "Any of its names contains this");
  cmd->add_option("--status", f.statuses, "pending|issuing|valid|renewing|failed (comma list)")
      ->delimiter(',');
  cmd->add_option("--customer", f.customer, "Domains of this customer");
  cmd->add_option("--machine", f.machine, "Domains served by this machine");
  cmd->add_option("--issuer", f.issuer, "Domains of this issuer (certfleet issuer list)");
  cmd->add_option("--expiring", f.expiring_days, "Certificate ends within DAYS (0: expired)")
      ->check(CLI::Range(0, 3650));
}

void AddList(CLI::App* domain, GlobalFlags& g, std::function<Status()>& run) {
  auto o = std::make_shared<DomainListOptions>();
  auto* list = domain->add_subcommand("list", "List domains (filters, sort, pages, days left)");
  AddFilterFlags(list, o->filter);
  list->add_option("--sort", o->sort, "name|expires|status|updated|next")
      ->check(CLI::IsMember({"name", "expires", "status", "updated", "next"}));
  list->add_flag("--desc", o->descending, "Reverse the order");
  list->add_option("--limit", o->limit, "At most this many")->check(CLI::Range(1, 1000));
  list->add_option("--offset", o->offset, "Skip this many (slow for deep pages: use --after)")
      ->check(CLI::NonNegativeNumber);
  list->add_option("--after", o->after,
                   "The page after this cursor (the previous page's `next`, as printed)");
  list->add_flag("--all", o->all, "Every page (past 1,000)");
  list->add_flag("--json", o->json, "Same as -o json");
  list->footer(
      "Examples:\n  certfleet domain list --expiring 30 --sort expires\n"
      "  certfleet domain list --status failed,pending -o wide\n"
      "  certfleet domain list --machine web-03 -o name | xargs -n1 certfleet domain show");
  OnCli(list, g, run, [o](CliContext& ctx) { return RunDomainList(ctx, *o); });
}

void AddSet(CLI::App* domain, GlobalFlags& g, std::function<Status()>& run) {
  auto o = std::make_shared<DomainSetOptions>();
  auto machines = std::make_shared<std::vector<std::string>>();
  auto customer = std::make_shared<std::string>();
  auto no_customer = std::make_shared<bool>(false);
  auto* set = domain->add_subcommand("set", "Change a domain (machines, names, issuer, …)");
  set->add_option("name", o->name, "Domain (any of its names)")->required();
  set->add_option("--add-machine", o->add_machines, "Serve it on this machine too (repeat)");
  set->add_option("--remove-machine", o->remove_machines, "No longer on this machine (repeat)");
  auto* m = set->add_option("--machine", *machines, "Exactly these machines (replaces; repeat)");
  set->add_option("--add-san", o->add_sans, "Add another name (repeat)");
  set->add_option("--remove-san", o->remove_sans, "Remove another name (repeat)");
  auto* c = set->add_option("--customer", *customer, "Belongs to this customer");
  set->add_flag("--no-customer", *no_customer, "Belongs to no customer")->excludes(c);
  auto* issuer = set->add_option("--issuer", "An ACME issuer, or manual");
  auto* key = set->add_option("--key-type", "ec-p256|ec-p384|rsa-2048|rsa-3072|rsa-4096");
  auto* profile = set->add_option("--profile", "ACME profile (\"\" for the CA's default)");
  set->footer(
      "Example: certfleet domain set blog.example.com --add-machine web-03 "
      "--remove-machine web-01");
  OnCli(set, g, run,
        [o, m, machines, c, customer, no_customer, issuer, key, profile](CliContext& ctx) {
          if (m->count() > 0) o->machines = *machines;
          if (c->count() > 0) o->customer = *customer;
          if (*no_customer) o->customer = "";
          if (issuer->count() > 0) o->issuer = issuer->as<std::string>();
          if (key->count() > 0) o->key_type = key->as<std::string>();
          if (profile->count() > 0) o->profile = profile->as<std::string>();
          return RunDomainSet(ctx, *o);
        });
}

void AddIssue(CLI::App* domain, GlobalFlags& g, std::function<Status()>& run) {
  auto o = std::make_shared<DomainIssueOptions>();
  auto* issue = domain->add_subcommand("issue", "Issue or renew now, by name or by filter");
  issue->add_option("names", o->names, "Domains (any of their names)");
  AddFilterFlags(issue, o->filter);
  issue->add_flag("--all", o->all, "Every ACME domain");
  issue->add_flag("--dry-run", o->dry_run, "Only list what would be re-issued");
  issue->footer(
      "Examples:\n  certfleet domain issue shop.example.com\n"
      "  certfleet domain issue --machine web-03 --dry-run\n"
      "  certfleet domain issue --status failed --yes");
  OnCli(issue, g, run, [o](CliContext& ctx) { return RunDomainIssue(ctx, *o); });
}

void AddDns01(CLI::App* domain, GlobalFlags& g, std::function<Status()>& run) {
  auto o = std::make_shared<DomainDns01Options>();
  auto* cmd = domain->add_subcommand(
      "dns01", "DNS-01 of a domain: the CNAME to create, the delegation check, the challenge");
  cmd->add_option("name", o->name, "Domain (any of its names)")->required();
  cmd->add_flag("--check", o->check, "Check the CNAME delegation now (exit 1 on a problem)");
  auto* challenge = cmd->add_option("--challenge", "http-01|dns-01|default (the issuer's order)")
                        ->check(CLI::IsMember({"http-01", "dns-01", "default"}));
  cmd->footer(
      "Examples:\n  certfleet domain dns01 shop.example.com\n"
      "  certfleet domain dns01 shop.example.com --check\n"
      "  certfleet domain dns01 shop.example.com --challenge dns-01");
  OnCli(cmd, g, run, [o, challenge](CliContext& ctx) {
    if (challenge->count() > 0) o->challenge = challenge->as<std::string>();
    return RunDomainDns01(ctx, *o);
  });
}

}  // namespace

void AddDomainCommands(CLI::App& app, GlobalFlags& g, std::function<Status()>& run) {
  auto* domain = app.add_subcommand("domain", "Domains")->require_subcommand(1);
  auto add_o = std::make_shared<DomainAddOptions>();
  auto* add = domain->add_subcommand("add", "Add a domain; its certificate follows by itself");
  add->add_option("name", add_o->name, "Primary name (FQDN)")->required();
  add->add_option("--customer", add_o->customer, "Customer");
  add->add_option("--machine", add_o->machines, "A machine that serves it (repeat)");
  add->add_option("--san", add_o->sans, "An extra name (repeat)");
  add->add_option("--issuer", add_o->issuer, "A configured ACME issuer, or manual");
  add->add_option("--key-type", add_o->key_type, "ec-p256|ec-p384|rsa-2048|rsa-3072|rsa-4096");
  add->add_option("--profile", add_o->profile, "ACME profile");
  add->footer(
      "Example: certfleet domain add shop.example.com --customer acme --machine web-01 "
      "--san www.shop.example.com");
  OnCli(add, g, run, [add_o](CliContext& ctx) { return RunDomainAdd(ctx, *add_o); });
  AddList(domain, g, run);
  auto name = std::make_shared<std::string>();
  auto* show = domain->add_subcommand("show", "State, certificate, deployments of a domain");
  show->add_option("name", *name, "Any of its names (SAN, Unicode spelling)")->required();
  auto json = std::make_shared<bool>(false);
  show->add_flag("--json", *json, "Same as -o json");
  OnCli(show, g, run, [name, json](CliContext& ctx) {
    if (*json) ctx.format = OutputFormat::kJson;
    return RunDomainShow(ctx, *name);
  });
  AddSet(domain, g, run);
  auto names = std::make_shared<std::vector<std::string>>();
  auto* del = domain->add_subcommand("delete", "Delete domains with their certificates (asks)");
  del->add_option("names", *names, "Domains")->required();
  OnCli(del, g, run, [names](CliContext& ctx) { return RunDomainDelete(ctx, *names); });
  AddIssue(domain, g, run);
  AddDns01(domain, g, run);

  auto* cert = app.add_subcommand("cert", "Certificates")->require_subcommand(1);
  auto up = std::make_shared<CertUploadOptions>();
  auto* upload = cert->add_subcommand("upload", "Upload a certificate bought elsewhere (manual)");
  upload->add_option("domain", up->domain, "Domain")->required();
  upload->add_option("--cert", up->cert_file, "Chain PEM, leaf first")->required();
  upload->add_option("--key", up->key_file, "Private key PEM")->required();
  OnCli(upload, g, run, [up](CliContext& ctx) { return RunCertUpload(ctx, *up); });
}

}  // namespace certfleet::cli
