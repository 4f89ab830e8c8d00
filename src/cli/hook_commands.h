// `certfleet hook ...`: certbot (and lego) talking to the hub, the seed system's path
// without a plugin (issue 19).
//
//   certbot certonly --manual --preferred-challenges http
//     --manual-auth-hook 'certfleet hook certbot-auth'
//     --manual-cleanup-hook 'certfleet hook certbot-cleanup'
//     --deploy-hook 'certfleet hook certbot-deploy --machine web-01' -d shop.example.com
//
// with CERTFLEET_HUB and CERTFLEET_TOKEN (a support token) in certbot's environment:
// - certbot-auth hands CERTBOT_TOKEN and CERTBOT_VALIDATION (the key authorization) for
//   CERTBOT_DOMAIN to the hub (POST /api/v1/challenges/http-01), which answers the CA on
//   its challenge path like its own challenges, through the nginx proxy every host has;
// - certbot-cleanup withdraws it (DELETE; already expired is fine);
// - certbot-deploy uploads RENEWED_LINEAGE's fullchain.pem + privkey.pem for the lineage's
//   domain (created with issuer manual on --machine if the hub does not know it yet), from
//   where the agents deploy it.
// lego's --run-hook / --renew-hook: `certfleet hook lego-deploy` reads LEGO_CERT_DOMAIN,
// LEGO_CERT_PATH and LEGO_CERT_KEY_PATH. (lego's HTTP-01 has no hook; its "exec" provider is
// for DNS-01.) Key material is read from the files and sent to the hub only.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/hub_client.h"
#include "common/error.h"

namespace certfleet::cli {

// getenv, replaceable in tests.
using Environment = std::function<std::optional<std::string>(const std::string& name)>;
Environment ProcessEnvironment();

struct DeployHookOptions {
  std::vector<std::string> machines;  // for a domain the hub does not know yet
  std::string customer;
};

Status RunCertbotAuthHook(HubClient& hub, const Environment& env, std::ostream& out);
Status RunCertbotCleanupHook(HubClient& hub, const Environment& env, std::ostream& out);
Status RunCertbotDeployHook(HubClient& hub, const Environment& env, const DeployHookOptions& o,
                            std::ostream& out);
Status RunLegoDeployHook(HubClient& hub, const Environment& env, const DeployHookOptions& o,
                         std::ostream& out);

}  // namespace certfleet::cli
