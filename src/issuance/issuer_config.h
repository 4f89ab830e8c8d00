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
  // Which challenge types this issuer may use (the config's `challenges` list, or the
  // older `dns01 = true`). DNS-01 also needs a [[dns01.zone]] covering the name
  // (issuance/challenge_plan.h decides per name); wildcards need DNS-01.
  bool http01 = true;
  bool dns01 = false;
  // Both allowed: DNS-01 first where a zone covers the name (e.g. names not pointed at
  // our nginx yet); else HTTP-01 first and DNS-01 for wildcards only.
  bool prefer_dns01 = false;
};

}  // namespace certfleet::issuance
