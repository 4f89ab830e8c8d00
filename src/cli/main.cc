// certfleet: the admin CLI over the hub API, and `certfleet acme ...`, a standalone ACME
// client. This file only parses flags (CLI11 lives here alone) and calls the commands.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/acme_commands.h"
#include "cli/argv_secrets.h"
#include "cli/exit_codes.h"
#include "cli/flags.h"
#include "cli/hook_commands.h"
#include "cli/import_commands.h"
#include "cli/inventory_commands.h"
#include "cli/notify_commands.h"
#include "cli/redeploy_command.h"
#include "common/error.h"
#include "crypto/openssl_process.h"

namespace {

using certfleet::Status;

// DNS-01 by RFC 2136 + TSIG (cli/acme_dns01.h).
void AddAcmeDns01(CLI::App& cmd, certfleet::cli::AcmeDns01Options& o) {
  cmd.add_option("--dns01-rfc2136", o.server,
                 "IP[:PORT] of the zone's primary DNS server: answer DNS-01 by RFC 2136 updates "
                 "(wildcards allowed)");
  cmd.add_option("--dns01-zone", o.zone, "The zone the _acme-challenge records go into");
  cmd.add_option("--tsig-key", o.key_name, "TSIG key name (as on the DNS server)");
  cmd.add_option("--tsig-algorithm", o.key_algorithm,
                 "hmac-sha256 (default)|hmac-sha384|hmac-sha512");
  cmd.add_option("--tsig-secret-file", o.secret_file,
                 "0600 file with the base64 secret or tsig-keygen's output (else "
                 "$CERTFLEET_TSIG_SECRET)");
  cmd.add_option(
      "--dns01-check", o.check,
      "IP[:PORT] of an authoritative server to wait for (repeat; default: the zone's NS)");
  cmd.add_option("--dns01-resolver", o.resolver, "IP[:PORT] of the resolver for the NS lookup");
  cmd.add_option("--dns01-timeout", o.timeout_seconds,
                 "Seconds to wait until every server answers the record (default 120)")
      ->check(CLI::Range(1, 3600));
}

void AddAcmeIssue(CLI::App& acme, certfleet::cli::AcmeIssueOptions& o,
                  std::function<Status()>& run) {
  auto* cmd = acme.add_subcommand("issue", "Obtain a certificate (HTTP-01 and/or DNS-01)");
  cmd->add_option("--server", o.server, "ACME directory URL")->required();
  cmd->add_option("--ca-file", o.ca_file, "PEM file to trust for the CA's HTTPS");
  cmd->add_option("--account-dir", o.account_dir, "Folder for the ACME account key");
  cmd->add_option("--email", o.email, "Account contact e-mail");
  cmd->add_option("--eab-kid", o.eab_kid, "External Account Binding key id");
  cmd->add_option("--eab-hmac-key", o.eab_hmac_key,
                  "External Account Binding HMAC key (base64url)");
  cmd->add_option("--http01-listen", o.http01_listen, "ADDR:PORT the CA's HTTP-01 requests reach");
  AddAcmeDns01(*cmd, o.dns01);
  cmd->add_option("-d,--domain", o.names, "A name for the certificate (repeat for more)")
      ->required();
  cmd->add_option("--key-type", o.key_type, "ec-p256|ec-p384|rsa-2048|rsa-3072|rsa-4096");
  cmd->add_option("--preferred-chain", o.preferred_chain, "Issuer CN of the preferred chain");
  cmd->add_option("--profile", o.profile, "ACME profile (if the CA offers profiles)");
  cmd->add_option("--out", o.out_dir, "Folder for privkey.pem, cert.pem, chain.pem, fullchain.pem")
      ->required();
  cmd->callback([&] { run = [&] { return certfleet::cli::RunAcmeIssue(o, std::cout); }; });
}

void AddAcmeRevoke(CLI::App& acme, certfleet::cli::AcmeRevokeOptions& o,
                   std::function<Status()>& run) {
  auto* cmd = acme.add_subcommand("revoke", "Revoke a certificate");
  cmd->add_option("--server", o.server, "ACME directory URL")->required();
  cmd->add_option("--ca-file", o.ca_file, "PEM file to trust for the CA's HTTPS");
  cmd->add_option("--account-dir", o.account_dir, "Folder for the ACME account key");
  cmd->add_option("--cert", o.cert_file, "The certificate (PEM) to revoke")->required();
  cmd->add_option("--key", o.key_file, "Sign with the certificate's key instead of the account");
  cmd->add_option("--reason", o.reason, "RFC 5280 reason code (0, 1, 4, 5)")
      ->check(CLI::IsMember({0, 1, 4, 5}));
  cmd->callback([&] { run = [&] { return certfleet::cli::RunAcmeRevoke(o, std::cout); }; });
}

// The admin commands share --hub/--token and the HubClient made from them.
struct AdminOptions {
  certfleet::cli::HubOptions hub;
  std::string channel;
  certfleet::cli::RedeployOptions redeploy;
};

using HubCommand = std::function<Status(certfleet::cli::HubClient&)>;

void OnRun(CLI::App* cmd, AdminOptions& o, std::function<Status()>& run, HubCommand command) {
  cmd->callback([&o, &run, command = std::move(command)] {
    run = [&o, command] {
      auto hub = certfleet::cli::HubClient::Create(o.hub);
      if (!hub) return Status(tl::unexpected(hub.error()));
      return command(*hub);
    };
  });
}

// `machine redeploy NAME` and `redeploy` (issue 16; cli/redeploy_command.h).
void AddRedeploy(CLI::App& app, CLI::App& machine, AdminOptions& o, std::function<Status()>& run) {
  using certfleet::cli::HubClient;
  using certfleet::cli::RunRedeploy;
  auto* one = machine.add_subcommand(
      "redeploy", "Deploy this machine's current certificates again (no new order)");
  one->add_option("name", o.redeploy.machine, "Machine")->required();
  one->add_option("--domain", o.redeploy.domain, "Only this domain");
  OnRun(one, o, run, [&o](HubClient& hub) { return RunRedeploy(hub, o.redeploy, std::cout); });
  auto* all = app.add_subcommand(
      "redeploy", "Deploy the current certificates again on every machine (no new order)");
  all->add_option("--domain", o.redeploy.domain, "Only this domain, on the machines hosting it");
  OnRun(all, o, run, [&o](HubClient& hub) { return RunRedeploy(hub, o.redeploy, std::cout); });
}

void AddNotify(CLI::App& app, AdminOptions& o, std::function<Status()>& run) {
  auto* notify = app.add_subcommand("notify", "Notification channels")->require_subcommand(1);
  auto* test = notify->add_subcommand("test", "Send a test message to a channel now");
  test->add_option("channel", o.channel, "Channel name from the hub's [[notify.channel]]")
      ->required();
  OnRun(test, o, run, [&o](certfleet::cli::HubClient& hub) {
    return certfleet::cli::RunNotifyTest(hub, o.channel, std::cout);
  });
}

// Issue 19: `import certbot|pem DIR` and `hook certbot-auth|certbot-cleanup|certbot-deploy|
// lego-deploy`.
struct ExistingCertOptions {
  certfleet::cli::ImportOptions import;
  certfleet::cli::DeployHookOptions deploy;
  certfleet::cli::InventoryListOptions list;
  certfleet::cli::AdoptOptions adopt;
  std::string name;
  bool json = false;
};

void AddInventory(CLI::App& app, AdminOptions& admin, ExistingCertOptions& o,
                  std::function<Status()>& run) {
  using namespace certfleet::cli;
  auto* inv = app.add_subcommand("inventory", "Certificates the agents found on the fleet")
                  ->require_subcommand(1);
  auto* list = inv->add_subcommand("list", "Names found, grouped, soonest expiry first");
  list->add_option("--state", o.list.state, "unmanaged|drifting|managed")
      ->check(CLI::IsMember({"unmanaged", "drifting", "managed"}));
  list->add_flag("--conflicts", o.list.conflicts, "Only names with different certificates");
  list->add_option("--expiring-days", o.list.expiring_days, "Only names expiring within N days");
  list->add_option("--search", o.list.search, "Name contains");
  list->add_flag("--json", o.list.json, "Print the hub's JSON");
  OnRun(list, admin, run,
        [&o](HubClient& hub) { return RunInventoryList(hub, o.list, std::cout); });
  auto* show = inv->add_subcommand("show", "What each machine has for a name");
  show->add_option("name", o.name, "Name")->required();
  show->add_flag("--json", o.json, "Print the hub's JSON");
  OnRun(show, admin, run,
        [&o](HubClient& hub) { return RunInventoryShow(hub, o.name, o.json, std::cout); });
  auto* machine = inv->add_subcommand("machine", "A machine's latest discovery report");
  machine->add_option("name", o.name, "Machine")->required();
  machine->add_flag("--json", o.json, "Print the hub's JSON");
  OnRun(machine, admin, run,
        [&o](HubClient& hub) { return RunInventoryMachine(hub, o.name, o.json, std::cout); });
  auto* adopt = inv->add_subcommand("adopt", "Make a discovered name a certfleet domain");
  adopt->add_option("name", o.adopt.name, "Name")->required();
  adopt->add_option("--issuer", o.adopt.issuer,
                    "An ACME issuer (default: manual, the found certificate)");
  adopt->add_option("--customer", o.adopt.customer, "Customer of the domain");
  adopt->add_flag("--apply", o.adopt.apply, "Create the domain (without: dry run)");
  adopt->add_flag("--reload-free", o.adopt.reload_free,
                  "Print certfleet's reload-free lines ($certfleet_bundle) for the site");
  adopt->add_flag("--json", o.adopt.json, "Print the hub's JSON");
  OnRun(adopt, admin, run,
        [&o](HubClient& hub) { return RunInventoryAdopt(hub, o.adopt, std::cout); });
}

void AddImport(CLI::App& app, AdminOptions& admin, ExistingCertOptions& o,
               std::function<Status()>& run) {
  using namespace certfleet::cli;
  auto* import =
      app.add_subcommand("import", "Import certificates found on this host")->require_subcommand(1);
  for (const char* kind : {"certbot", "pem"}) {
    const bool certbot = std::string(kind) == "certbot";
    auto* cmd = import->add_subcommand(
        kind, certbot ? "Every lineage of a certbot directory (renewal/*.conf and live/)"
                      : "Every NAME.crt with its NAME.key in a directory");
    cmd->add_option("dir", o.import.dir, certbot ? "e.g. /etc/letsencrypt" : "Directory")
        ->required();
    cmd->add_option("--issuer", o.import.issuer,
                    "ACME issuer to renew the imported domains (default: manual)");
    cmd->add_option("--machine", o.import.machines, "A machine that serves them (repeat)");
    cmd->add_option("--customer", o.import.customer, "Customer of the new domains");
    cmd->add_flag("--apply", o.import.apply, "Change the hub (without: dry run)");
    OnRun(cmd, admin, run, [&o, certbot](HubClient& hub) {
      return certbot ? RunImportCertbot(hub, o.import, std::cout)
                     : RunImportPem(hub, o.import, std::cout);
    });
  }
}

void AddHooks(CLI::App& app, AdminOptions& admin, ExistingCertOptions& o,
              std::function<Status()>& run) {
  using namespace certfleet::cli;
  auto* hook = app.add_subcommand("hook", "certbot and lego hooks that talk to the hub")
                   ->require_subcommand(1);
  auto* auth = hook->add_subcommand("certbot-auth", "--manual-auth-hook: the hub answers HTTP-01");
  OnRun(auth, admin, run,
        [](HubClient& hub) { return RunCertbotAuthHook(hub, ProcessEnvironment(), std::cout); });
  auto* cleanup = hook->add_subcommand("certbot-cleanup", "--manual-cleanup-hook");
  OnRun(cleanup, admin, run,
        [](HubClient& hub) { return RunCertbotCleanupHook(hub, ProcessEnvironment(), std::cout); });
  for (const char* name : {"certbot-deploy", "lego-deploy"}) {
    const bool certbot = std::string(name) == "certbot-deploy";
    auto* deploy = hook->add_subcommand(
        name, certbot ? "--deploy-hook: upload the new certificate to the hub"
                      : "lego --run-hook / --renew-hook: upload the new certificate");
    deploy->add_option("--machine", o.deploy.machines,
                       "Machine(s) for a domain the hub does not know yet (repeat)");
    deploy->add_option("--customer", o.deploy.customer, "Customer for such a domain");
    OnRun(deploy, admin, run, [&o, certbot](HubClient& hub) {
      return certbot ? RunCertbotDeployHook(hub, ProcessEnvironment(), o.deploy, std::cout)
                     : RunLegoDeployHook(hub, ProcessEnvironment(), o.deploy, std::cout);
    });
  }
}

}  // namespace

int main(int argc, char** argv) {
  certfleet::crypto::SkipOpensslCleanupAtExit();  // a short-lived process: exit fast
  CLI::App app{"certfleet: TLS certificate automation for hosting providers", "certfleet"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "certfleet " CERTFLEET_VERSION);
  // Global flags (--hub, --token, -o, …) may also follow the subcommand.
  app.fallthrough();
  app.footer(
      "Exit codes: 0 done, 1 needs attention or failed, 2 usage or invalid input, 3 not found,\n"
      "4 conflict or already exists, 5 not signed in or not allowed, 6 hub unreachable or\n"
      "failing, 70 internal error. docs/cli.md has every command with examples.");
  std::function<Status()> run;

  auto* acme = app.add_subcommand("acme", "Standalone ACME client (like lego)");
  acme->require_subcommand(1);
  certfleet::cli::AcmeIssueOptions issue;
  certfleet::cli::AcmeRevokeOptions revoke;
  AddAcmeIssue(*acme, issue, run);
  AddAcmeRevoke(*acme, revoke, run);

  AdminOptions admin;
  app.add_option("--hub", admin.hub.url, "Hub URL")->envname("CERTFLEET_HUB");
  app.add_option("--token", admin.hub.token, "API token")->envname("CERTFLEET_TOKEN");
  app.add_option("--hub-ca-file", admin.hub.ca_file, "PEM file to trust for an https:// hub")
      ->envname("CERTFLEET_HUB_CA_FILE");
  app.add_option("--timeout", admin.hub.timeout_seconds, "Seconds to wait for the hub")
      ->check(CLI::Range(1, 3600));
  app.add_flag("--insecure-allow-plain-http", admin.hub.insecure_allow_plain_http,
               "Accept an http:// hub that is not on this host (the token travels unencrypted)")
      ->envname("CERTFLEET_INSECURE_ALLOW_PLAIN_HTTP");
  certfleet::cli::GlobalFlags global{admin.hub};
  app.add_option("--token-file", global.token_file, "Read the API token from this file");
  app.add_option("-o,--output", global.output, "table|wide|json|csv|name")
      ->check(CLI::IsMember({"table", "wide", "json", "csv", "name"}));
  app.add_flag("-y,--yes", global.yes, "Do not ask before deleting or bulk changes");
  certfleet::cli::AddCustomerMachineCommands(app, global, run);
  AddRedeploy(app, *app.get_subcommand("machine"), admin, run);
  certfleet::cli::AddDomainCommands(app, global, run);
  certfleet::cli::AddTokenCommands(app, global, run);
  certfleet::cli::AddWatchCommands(app, global, run);
  certfleet::cli::AddCompletionCommand(app, run);
  AddNotify(app, admin, run);
  ExistingCertOptions adopt;
  AddImport(app, admin, adopt, run);
  AddHooks(app, admin, adopt, run);
  AddInventory(app, admin, adopt, run);

  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log progress to stderr");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return certfleet::cli::ReportParseError(app, e, argc, argv);
  }
  certfleet::cli::HideTokenArguments(argc, argv);  // CLI11 holds its own copy by now
  // stdout carries results only (one summary line); logs go to stderr.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("certfleet"));
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  try {
    const Status status = run();
    if (!status) {
      const int code = certfleet::cli::ExitCodeFor(status.error().code);
      if (global.output == "json") {  // scripts that parse stdout get the error as JSON too
        std::cerr << nlohmann::json{{"error",
                                     {{"code", certfleet::ErrorCodeName(status.error().code)},
                                      {"message", status.error().message},
                                      {"exit_code", code}}}}
                         .dump()
                  << "\n";
      } else {
        std::cerr << "certfleet: " << status.error().message << "\n";
      }
      return code;
    }
    if (global.exit_code != 0) return global.exit_code;
  } catch (const std::exception& e) {  // main is an exception boundary
    std::cerr << "certfleet: internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
