// `certfleet acme issue` and `certfleet acme revoke`: a standalone ACME client (like
// lego) for debugging, tests and benchmarks. main.cc parses flags into these options.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/acme_dns01.h"
#include "common/error.h"

namespace certfleet::cli {

struct AcmeIssueOptions {
  std::string server;   // ACME directory URL
  std::string ca_file;  // trust for the CA's HTTPS; "" = system store
  std::filesystem::path account_dir;
  std::string email;
  std::string eab_kid;
  std::string eab_hmac_key;
  std::string http01_listen;  // "ADDR:PORT" the CA's HTTP-01 requests reach; "" = no HTTP-01
  // DNS-01 by RFC 2136 (dns01.server set): wildcards allowed; with --http01-listen too,
  // plain names go by HTTP-01 and wildcards by DNS-01.
  AcmeDns01Options dns01;
  std::vector<std::string> names;
  std::string key_type = "ec-p256";
  std::string preferred_chain;
  std::string profile;
  std::filesystem::path out_dir;
};

// Issues one certificate (HTTP-01 and/or DNS-01, at least one) and writes privkey.pem (0600), cert.pem, chain.pem and
// fullchain.pem into out_dir (created if missing). Prints one summary line to `out`.
// On any failure nothing is written and the error names the step.
Status RunAcmeIssue(const AcmeIssueOptions& options, std::ostream& out);
// The same with the environment injected (CERTFLEET_TSIG_SECRET).
Status RunAcmeIssue(const AcmeIssueOptions& options, std::ostream& out, const EnvGetter& env);

struct AcmeRevokeOptions {
  std::string server;
  std::string ca_file;
  std::filesystem::path account_dir;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;  // sign with the certificate's key instead of the account
  std::optional<int> reason;       // RFC 5280 reason code
};

Status RunAcmeRevoke(const AcmeRevokeOptions& options, std::ostream& out);

}  // namespace certfleet::cli
