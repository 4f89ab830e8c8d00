// IssuerRuntime: everything the worker holds for one configured ACME CA — its HTTP
// transport, the ACME session (directory fetched lazily, so a CA that is down at
// start-up does not stop the hub), its account, its order pacer and whether the CA
// answers (CaReachability, with the cheap probe that finds out when it is back).
//
// Thread safety: safe for concurrent use by all worker threads.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>

#include "acme/session.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "issuance/ca_reachability.h"
#include "issuance/issuer_account.h"
#include "issuance/issuer_config.h"
#include "issuance/order_pacer.h"
#include "net/http_transport.h"

namespace certfleet::issuance {

class IssuerRuntime {
 public:
  // `transport`, owned from here on, talks to the CA; `envelope`, `clock` and `accounts`
  // must outlive this object. `accounts` keeps the ACME account in the database (every
  // hub); null keeps it in a file under `data_dir` alone (issuer_account.h).
  IssuerRuntime(IssuerConfig config, std::unique_ptr<net::HttpTransport> transport,
                const crypto::Envelope& envelope, Clock& clock, std::filesystem::path data_dir,
                ReachabilityOptions reachability = {}, store::AcmeAccountBook* accounts = nullptr);

  const IssuerConfig& config() const { return config_; }
  IssuerAccount& account() { return account_; }
  OrderPacer& pacer() { return pacer_; }
  CaReachability& reachability() { return reachability_; }

  // The session, fetching the directory on first use (and again after a failure).
  // The pointer stays valid for the lifetime of this object.
  Result<acme::Session*> Session();

  // The reachability probe: GET the directory, then HEAD newNonce (the directory may be
  // served by a cache while the API behind it is down). Two requests, no signature, no
  // account. Ok when both answered 2xx.
  Status Probe();

 private:
  const IssuerConfig config_;
  std::unique_ptr<net::HttpTransport> transport_;
  Clock& clock_;
  IssuerAccount account_;
  OrderPacer pacer_;
  CaReachability reachability_;
  std::mutex mu_;
  std::unique_ptr<acme::Session> session_;
};

}  // namespace certfleet::issuance
