// certfleet: the admin CLI over the hub API, and `certfleet acme ...`, a standalone ACME
// client. This file only parses flags (CLI11 lives here alone) and calls the commands.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/acme_commands.h"
#include "common/error.h"

namespace {

using certfleet::Status;

void AddAcmeIssue(CLI::App& acme, certfleet::cli::AcmeIssueOptions& o, std::function<Status()>& run) {
  auto* cmd = acme.add_subcommand("issue", "Obtain a certificate with HTTP-01 validation");
  cmd->add_option("--server", o.server, "ACME directory URL")->required();
  cmd->add_option("--ca-file", o.ca_file, "PEM file to trust for the CA's HTTPS");
  cmd->add_option("--account-dir", o.account_dir, "Folder for the ACME account key");
  cmd->add_option("--email", o.email, "Account contact e-mail");
  cmd->add_option("--eab-kid", o.eab_kid, "External Account Binding key id");
  cmd->add_option("--eab-hmac-key", o.eab_hmac_key, "External Account Binding HMAC key (base64url)");
  cmd->add_option("--http01-listen", o.http01_listen, "ADDR:PORT the CA's HTTP-01 requests reach")->required();
  cmd->add_option("-d,--domain", o.names, "A name for the certificate (repeat for more)")->required();
  cmd->add_option("--key-type", o.key_type, "ec-p256|ec-p384|rsa-2048|rsa-3072|rsa-4096");
  cmd->add_option("--preferred-chain", o.preferred_chain, "Issuer CN of the preferred chain");
  cmd->add_option("--profile", o.profile, "ACME profile (if the CA offers profiles)");
  cmd->add_option("--out", o.out_dir, "Folder for privkey.pem, cert.pem, chain.pem, fullchain.pem")->required();
  cmd->callback([&] { run = [&] { return certfleet::cli::RunAcmeIssue(o, std::cout); }; });
}

void AddAcmeRevoke(CLI::App& acme, certfleet::cli::AcmeRevokeOptions& o, std::function<Status()>& run) {
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"certfleet: TLS certificate automation for hosting providers"};
  app.require_subcommand(1);
  std::function<Status()> run;

  auto* acme = app.add_subcommand("acme", "Standalone ACME client (like lego)");
  acme->require_subcommand(1);
  certfleet::cli::AcmeIssueOptions issue;
  certfleet::cli::AcmeRevokeOptions revoke;
  AddAcmeIssue(*acme, issue, run);
  AddAcmeRevoke(*acme, revoke, run);

  bool verbose = false;
  app.add_flag("-v,--verbose", verbose, "Log progress to stderr");

  CLI11_PARSE(app, argc, argv);
  // stdout carries results only (one summary line); logs go to stderr.
  spdlog::set_default_logger(spdlog::stderr_logger_mt("certfleet"));
  spdlog::set_level(verbose ? spdlog::level::debug : spdlog::level::warn);
  try {
    const Status status = run();
    if (!status) {
      std::cerr << "certfleet: " << status.error().message << "\n";
      return 1;
    }
  } catch (const std::exception& e) {  // main is an exception boundary
    std::cerr << "certfleet: internal error: " << e.what() << "\n";
    return 70;
  }
  return 0;
}
