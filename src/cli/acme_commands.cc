#include "cli/acme_commands.h"

#include <chrono>
#include <cstdlib>
#include <ostream>

#include "acme/certificate.h"
#include "acme/client.h"
#include "cli/acme_account_dir.h"
#include "common/atomic_file.h"
#include "common/domain_name.h"
#include "common/time_format.h"
#include "crypto/x509.h"
#include "net/beast/beast_transport.h"
#include "solver/http01_responder.h"

namespace certfleet::cli {
namespace {

namespace fs = std::filesystem;

// Everything that can be checked without the network, so a typo costs no request.
Result<std::vector<std::string>> ValidateIssueOptions(const AcmeIssueOptions& o) {
  if (o.server.empty()) return Fail(ErrorCode::kInvalidArgument, "--server is required");
  if (o.http01_listen.empty() && o.dns01.server.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--http01-listen or --dns01-rfc2136 is required (how the CA checks the names)");
  }
  if (o.out_dir.empty()) return Fail(ErrorCode::kInvalidArgument, "--out is required");
  if (o.names.empty()) return Fail(ErrorCode::kInvalidArgument, "at least one -d NAME is required");
  if (o.eab_kid.empty() != o.eab_hmac_key.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "--eab-kid and --eab-hmac-key go together");
  }
  if (auto type = crypto::ParseKeyType(o.key_type); !type) return Fail(type.error());
  std::vector<std::string> names;
  const DomainNameOptions name_options{.allow_wildcard = !o.dns01.server.empty()};
  for (const auto& name : o.names) {
    auto normalized = NormalizeDomainName(name, name_options);
    if (!normalized) return Fail(normalized.error());
    names.push_back(*normalized);
  }
  return names;
}

Status PrepareOutDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Fail(ErrorCode::kIo,
                "cannot create output folder " + dir.string() + ": " + ec.message());
  return Ok();
}

struct AcmeSetup {
  std::unique_ptr<net::HttpTransport> transport;
  std::unique_ptr<acme::Client> client;
  acme::Signer signer;
};

Result<AcmeSetup> OpenAccount(const std::string& server, const std::string& ca_file,
                              const fs::path& account_dir, const acme::NewAccountRequest& request) {
  // Beast, not libcurl: a short-lived process must not pay libcurl's start-up (see
  // net/beast/beast_transport.h).
  auto transport = net::BeastTransport::Create({.ca_file = ca_file});
  if (!transport) return Fail(transport.error());
  auto client = acme::Client::Open(**transport, SystemClock::Instance(), server);
  if (!client) return Fail(client.error().WithContext("cannot read the ACME directory " + server));
  auto key =
      LoadOrCreateAccountKey(account_dir.empty() ? DefaultAccountDir() : account_dir, server);
  if (!key) return Fail(key.error());
  auto account = (*client)->RegisterAccount(*key, request);
  if (!account) return Fail(account.error().WithContext("account registration"));
  return AcmeSetup{std::move(*transport), std::move(*client), acme::Signer{*key, account->url}};
}

Status WriteCertificateFiles(const fs::path& dir, const acme::ObtainedCertificate& cert) {
  return WriteFilesAtomically(dir, {{"privkey.pem", cert.private_key_pem, 0600},
                                    {"cert.pem", cert.certificate_pem, 0644},
                                    {"chain.pem", cert.chain_pem, 0644},
                                    {"fullchain.pem", cert.fullchain_pem, 0644}});
}

void PrintSummary(std::ostream& out, const std::vector<std::string>& names,
                  const acme::ObtainedCertificate& cert, const AcmeIssueOptions& o,
                  std::chrono::steady_clock::duration took) {
  const crypto::Certificate* leaf = cert.chain.empty() ? nullptr : &cert.chain.front();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  out << "issued " << names.front();
  if (names.size() > 1) out << " (+" << names.size() - 1 << " more)";
  if (leaf)
    out << " serial " << leaf->SerialHex() << " valid until " << FormatRfc3339(leaf->NotAfter());
  out << " " << o.key_type << " in " << ms << " ms -> " << o.out_dir.string() << "\n";
}

// The solvers the options ask for: HTTP-01 first (plain names), then DNS-01.
struct Solvers {
  std::unique_ptr<solver::StandaloneHttp01Solver> http01;
  std::unique_ptr<solver::Rfc2136Solver> dns01;

  std::vector<acme::ChallengeSolver*> List() const {
    std::vector<acme::ChallengeSolver*> list;
    if (http01) list.push_back(http01.get());
    if (dns01) list.push_back(dns01.get());
    return list;
  }
};

Result<Solvers> StartSolvers(const AcmeIssueOptions& o, const EnvGetter& env) {
  Solvers solvers;
  if (!o.dns01.server.empty()) {
    auto dns01 = MakeRfc2136Solver(o.dns01, env);
    if (!dns01) return Fail(dns01.error());
    solvers.dns01 = std::move(*dns01);
  }
  if (!o.http01_listen.empty()) {
    auto http01 = solver::StandaloneHttp01Solver::Start(o.http01_listen);
    if (!http01) return Fail(http01.error().WithContext("--http01-listen"));
    solvers.http01 = std::move(*http01);
  }
  return solvers;
}

std::optional<std::string> ProcessEnv(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

Status RunAcmeIssue(const AcmeIssueOptions& o, std::ostream& out) {
  return RunAcmeIssue(o, out, ProcessEnv);
}

Status RunAcmeIssue(const AcmeIssueOptions& o, std::ostream& out, const EnvGetter& env) {
  const auto started = std::chrono::steady_clock::now();
  auto names = ValidateIssueOptions(o);
  if (!names) return Fail(names.error());
  if (auto ready = PrepareOutDir(o.out_dir); !ready) return ready;
  auto solvers = StartSolvers(o, env);
  if (!solvers) return Fail(solvers.error());

  acme::NewAccountRequest account_request;
  if (!o.email.empty()) account_request.contact.push_back("mailto:" + o.email);
  if (!o.eab_kid.empty())
    account_request.eab = acme::ExternalAccountBinding{o.eab_kid, o.eab_hmac_key};
  auto setup = OpenAccount(o.server, o.ca_file, o.account_dir, account_request);
  if (!setup) return Fail(setup.error());

  acme::ObtainRequest request{.names = *names,
                              .key_type = *crypto::ParseKeyType(o.key_type),
                              .preferred_chain = o.preferred_chain,
                              .profile = o.profile,
                              .replaces = "",
                              .solvers = solvers->List()};
  auto cert = setup->client->ObtainCertificate(setup->signer, request);
  if (solvers->http01) solvers->http01->Stop();
  if (!cert) return Fail(cert.error());
  if (auto written = WriteCertificateFiles(o.out_dir, *cert); !written) return written;
  PrintSummary(out, *names, *cert, o, std::chrono::steady_clock::now() - started);
  return Ok();
}

Status RunAcmeRevoke(const AcmeRevokeOptions& o, std::ostream& out) {
  if (o.server.empty()) return Fail(ErrorCode::kInvalidArgument, "--server is required");
  auto pem = ReadFile(o.cert_file);
  if (!pem) return Fail(pem.error().WithContext("--cert"));
  auto cert = crypto::Certificate::FromPem(*pem);
  if (!cert) return Fail(cert.error().WithContext("--cert " + o.cert_file.string()));

  auto setup = OpenAccount(o.server, o.ca_file, o.account_dir, {});
  if (!setup) return Fail(setup.error());
  acme::Signer signer = setup->signer;
  if (!o.key_file.empty()) {
    auto key_pem = ReadFile(o.key_file);
    if (!key_pem) return Fail(key_pem.error().WithContext("--key"));
    auto key = crypto::PrivateKey::FromPem(*key_pem);
    if (!key) return Fail(key.error().WithContext("--key " + o.key_file.string()));
    if (!cert->MatchesKey(*key)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--key " + o.key_file.string() + " is not the key of " + o.cert_file.string());
    }
    signer = acme::Signer{*key, ""};
  }
  std::optional<acme::RevocationReason> reason;
  if (o.reason) reason = static_cast<acme::RevocationReason>(*o.reason);
  if (auto revoked =
          acme::RevokeCertificate(setup->client->session(), signer, cert->ToDer(), reason);
      !revoked) {
    return Fail(revoked.error().WithContext("revoking serial " + cert->SerialHex()));
  }
  out << "revoked serial " << cert->SerialHex() << "\n";
  return Ok();
}

}  // namespace certfleet::cli
