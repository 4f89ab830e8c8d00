// Client: the high-level ACME driver used by `certfleet acme issue`, benchmarks and
// tests — one call from names to a certificate.
//
// Usage:
//
//   auto transport = net::CurlTransport::Create({.ca_file = "pebble-ca.pem"});  // net/curl
//   auto client = acme::Client::Open(**transport, SystemClock::Instance(),
//                                    "https://localhost:14000/dir");
//   if (!client) return client.error();
//   auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
//   auto account = (*client)->RegisterAccount(*key, {.contact = {"mailto:ops@example.com"}});
//   acme::Signer signer{*key, account->url};
//   MyHttp01Solver solver;  // an acme::ChallengeSolver
//   auto cert = (*client)->ObtainCertificate(signer, {.names = {"tickets.example.com"},
//                                                     .solvers = {&solver}});
//   // cert->private_key_pem, cert->certificate_pem, cert->chain_pem, cert->fullchain_pem
//
// ObtainCertificate runs RFC 8555 end to end: validate every name (NormalizeDomainName,
// before any request) → newOrder → fetch each pending authorization once → Present every
// challenge → respond to every challenge (so the CA validates them in parallel) → poll
// each authorization → CleanUp every presented challenge (always, even after a failure)
// → finalize with a fresh key and CSR → poll the order until valid → download → choose
// the preferred chain. Errors name the identifier and the step, e.g.
// "tickets.example.com: http-01 challenge failed: the CA said: connection: ...".
//
// Thread safety: a Client may be used from many threads at once (e.g. 8 concurrent
// ObtainCertificate calls); solvers must then be safe for concurrent Present/CleanUp
// (the ChallengeSolver contract requires it).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acme/account.h"
#include "acme/challenge_solver.h"
#include "acme/order.h"
#include "acme/polling.h"
#include "acme/session.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/key.h"
#include "crypto/x509.h"

namespace certfleet::acme {

struct ClientOptions {
  SessionOptions session;
  PollPolicy poll;
};

struct ObtainRequest {
  std::vector<std::string> names;  // DNS names; normalized and de-duplicated first
  crypto::KeyType key_type = crypto::KeyType::kEcP256;  // the certificate's fresh key
  // Reuse this key instead of generating a fresh one of key_type (like certbot's
  // --reuse-key; also lets tests know the key in advance).
  std::optional<crypto::PrivateKey> certificate_key;
  std::string preferred_chain;  // issuer CN of the topmost chain certificate; "" = default
  std::string profile;          // ACME profile; see NewOrderRequest::profile
  std::string replaces;         // ARI certificate ID of the predecessor; "" = none
  // Not owned; must outlive the call. For each authorization the first solver whose
  // Type() the CA offers is used, so list them in order of preference. A "dns-01"
  // solver also allows wildcard names.
  std::vector<ChallengeSolver*> solvers;
};

struct ObtainedCertificate {
  std::string private_key_pem;             // PKCS#8; a secret: never log it
  std::string certificate_pem;             // the leaf
  std::string chain_pem;                   // the issuers, leaf excluded
  std::string fullchain_pem;               // leaf + issuers
  std::vector<crypto::Certificate> chain;  // fullchain_pem parsed: leaf first, never empty
  Order order;                             // the final ("valid") order
  std::vector<std::string> warnings;       // e.g. a CleanUp that failed after success
};

class Client {
 public:
  // Fetches the directory (one request). `transport` and `clock` must outlive the Client.
  static Result<std::unique_ptr<Client>> Open(net::HttpTransport& transport, Clock& clock,
                                              const std::string& directory_url,
                                              ClientOptions options = {});
  Client(std::unique_ptr<Session> session, ClientOptions options);

  // Finds the account of `key` or creates it (one newAccount request either way).
  Result<Account> RegisterAccount(const crypto::PrivateKey& key, const NewAccountRequest& request);

  // Obtains one certificate as described above. Nothing is kept between calls.
  Result<ObtainedCertificate> ObtainCertificate(const Signer& signer, const ObtainRequest& request);

  // Revokes a PEM certificate, signed by the account (signer.kid set) or by the
  // certificate's own key (signer.kid empty).
  Status RevokeCertificate(const Signer& signer, std::string_view certificate_pem);

  Session& session() { return *session_; }
  const ClientOptions& options() const { return options_; }

 private:
  Result<ObtainedCertificate> ObtainWithKey(const Signer& signer, const ObtainRequest& request,
                                            const std::vector<std::string>& names,
                                            const crypto::PrivateKey& key);
  // Finalizes with a CSR for `key` and waits until the order is valid.
  Result<Order> Finalize(const Signer& signer, Order order, const crypto::PrivateKey& key,
                         const std::vector<std::string>& names);

  std::unique_ptr<Session> session_;
  ClientOptions options_;
};

}  // namespace certfleet::acme
