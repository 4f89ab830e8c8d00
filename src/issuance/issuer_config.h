// IssuerConfig: one ACME CA the hub may order from, as named in the hub config
// ([[issuer]] tables). A domain's `issuer` field holds one of these names, or "manual".
#pragma once

#include <chrono>
#include <string>

namespace certfleet::issuance {

struct IssuerConfig {
  std::string name;           // e.g. "letsencrypt"; unique; never "manual"
  std::string directory_url;  // ACME directory, e.g. https://acme-v02.api.letsencrypt.org/directory
  std::string ca_file;        // PEM bundle to trust for the CA's HTTPS; "" = system store
  std::string contact_email;  // account contact; "" = none
  std::string eab_kid;        // External Account Binding (RFC 8555 §7.3.4); "" = none
  std::string eab_hmac_key;   // base64url HMAC key for EAB
  std::string preferred_chain;  // issuer CN of the preferred alternate chain; "" = default
  // Pacing: at most `orders_per_window` new orders per `window` for this CA account
  // (Let's Encrypt: 300 new orders per account per 3 hours). Excess domains wait.
  int orders_per_window = 300;
  std::chrono::seconds window{std::chrono::hours(3)};
  // Whether this issuer can solve DNS-01 (needed for wildcard names). HTTP-01 only today.
  bool dns01 = false;
};

}  // namespace certfleet::issuance
