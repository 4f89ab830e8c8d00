// HubConfig: everything certfleet-hub needs to start, from (in increasing precedence)
// embedded defaults, a TOML file, CERTFLEET_HUB_* environment variables and the
// command line (main.cc applies the last).
//
//   data_dir = "/var/lib/certfleet"        # required (or CERTFLEET_HUB_DATA_DIR / --data-dir)
//   listen = "127.0.0.1:8440"
//   challenge_listen = "10.0.0.5:8441"      # optional: HTTP-01 answers only (docs/nginx.md §1)
//   io_threads = 2
//   body_limit = 1048576                    # bytes; larger request bodies answer 413
//   max_connections = 16384                 # open connections (within the open-file limit)
//   max_connections_per_address = 1024      # from one peer address; 0 = no cap
//   log_level = "info"
//   log_format = "text"                     # or "json" (common/log_format.h)
//   [issuance]
//   concurrency = 4
//   poll_interval_seconds = 30
//   ca_probe_seconds = 30                   # probe a CA that stopped answering this often
//   key_type = "ec-p256"                    # default for new domains (crypto::ParseKeyType names)
//   [[issuer]]
//   name = "letsencrypt"
//   directory = "https://acme-v02.api.letsencrypt.org/directory"
//   ca_file = ""  contact = "ops@example.com"  eab_kid = ""  eab_hmac_key = ""
//   preferred_chain = ""  orders_per_window = 300  window_seconds = 10800
//   challenges = ["http-01"]                # or ["http-01", "dns-01"] (order = preference);
//                                           # `dns01 = true` is ["http-01", "dns-01"]
//   [tls]                                   # optional: listen with TLS 1.2+ (docs/config.md)
//   cert_file = "/etc/certfleet/live/hub.example.net/fullchain.pem"
//   key_file = "/etc/certfleet/live/hub.example.net/privkey.pem"   # re-read on SIGHUP and on change
//   [metrics]                               # GET /metrics (docs/metrics.md)
//   public = false                          # true: no token needed (trusted networks only)
//   [rabbitmq]                              # optional: publish events (docs/events.md)
//   url = "amqps://mq.example.net:5671/prod"  user = "certfleet"  password = "..."
//   vhost = "prod"  ca_file = "/etc/certfleet/mq-ca.pem"  heartbeat_seconds = 30
//   exchange = "certfleet.events"           # see bus/broker_config.h for each key
//   [dns01]                                 # optional: DNS-01, see solver/dns01/dns01_config.h
//   [dns01.delegation]  zone = "acme.provider.net"  nameservers = [...]  listen = "0.0.0.0:53"
//   [[dns01.zone]]      zone = "."  solver = "delegation"          # or "rfc2136" + server, key
//   [store]                                 # optional: backend = "postgres" + url (store_config.h)
//   [notify]                                # optional: chat/webhook/e-mail channels
//   expiry_days = [30, 14, 7, 1]  agent_unseen_minutes = 60
//   [[notify.channel]]                      # see notify/channel_config.h for each key
//   name = "ops-chat"  type = "rocketchat"  url = "https://chat.example.com/hooks/ID/TOKEN"
//
// Environment overrides (each replaces the file's value):
//   CERTFLEET_HUB_DATA_DIR, CERTFLEET_HUB_LISTEN, CERTFLEET_HUB_CHALLENGE_LISTEN, CERTFLEET_HUB_IO_THREADS,
//   CERTFLEET_HUB_BODY_LIMIT, CERTFLEET_HUB_MAX_CONNECTIONS,
//   CERTFLEET_HUB_MAX_CONNECTIONS_PER_ADDRESS, CERTFLEET_HUB_LOG_LEVEL, CERTFLEET_HUB_LOG_FORMAT,
//   CERTFLEET_HUB_METRICS_PUBLIC ("true"/"false"),
//   CERTFLEET_HUB_TLS_CERT_FILE, CERTFLEET_HUB_TLS_KEY_FILE, CERTFLEET_HUB_ISSUANCE_CONCURRENCY,
//   CERTFLEET_HUB_ISSUANCE_POLL_INTERVAL_SECONDS, CERTFLEET_HUB_ISSUANCE_KEY_TYPE, and per
//   issuer CERTFLEET_HUB_ISSUER_<NAME>_EAB_HMAC_KEY (NAME upper-cased, '-' and '.' → '_'),
//   so the EAB secret need not sit in the file; CERTFLEET_HUB_RABBITMQ_{URL,USER,PASSWORD,
//   VHOST,CA_FILE,EXCHANGE,HEARTBEAT_SECONDS} (any of them turns [rabbitmq] on);
//   per notify channel CERTFLEET_HUB_NOTIFY_<NAME>_{URL,SECRET,SMTP_PASSWORD}, and per RFC 2136
//   zone CERTFLEET_HUB_DNS01_<ZONE>_SECRET (the TSIG secret).
//
// Errors are kInvalidArgument and name the source and the key:
//   "config hub.toml: issuer[0].directory: not a https:// URL: http://x".
// Issuers are indexed from 0 in messages, in file order. Unknown keys are errors (typos
// must not silently fall back to defaults).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/broker_config.h"
#include "common/error.h"
#include "hub/store_config.h"
#include "issuance/issuer_config.h"
#include "notify/channel_config.h"
#include "solver/dns01/dns01_config.h"

namespace certfleet::hub {

struct IssuanceSettings {
  int concurrency = 4;
  int poll_interval_seconds = 30;
  // How long a claim on a domain lasts before another hub may take its order over (it is
  // extended while the order runs). Several hubs: the failover time of an order.
  int lease_seconds = 600;
  int ca_probe_seconds = 30;         // issuance::ReachabilityOptions::probe_interval
  std::string key_type = "ec-p256";  // default key type of new domains
};

struct HubConfig {
  std::filesystem::path data_dir;  // required before the hub starts
  std::string listen = "127.0.0.1:8440";
  // Optional second listener serving only GET /.well-known/acme-challenge/{token}: the
  // address customer hosts' nginx proxies the challenge path to (docs/nginx.md §1), so
  // they never reach the API, UI or key endpoint. "" = none.
  std::string challenge_listen;
  int io_threads = 2;
  std::size_t body_limit = 1024 * 1024;
  // Connection caps of the HTTP listener (http::ServerOptions; 0 = none of its own).
  std::size_t max_connections = 16'384;
  std::size_t max_connections_per_address = 1'024;
  std::string log_level = "info";   // spdlog level names: trace debug info warn error critical off
  std::string log_format = "text";  // "text" or "json" (common/log_format.h)
  IssuanceSettings issuance;
  bool metrics_public = false;  // [metrics] public: GET /metrics without a token
  // [tls]: both set = the hub listens with TLS (http/tls_context.h has the policy).
  std::string tls_cert_file;
  std::string tls_key_file;
  std::vector<issuance::IssuerConfig> issuers;
  // [rabbitmq]: when set, the outbox relay publishes every event to this broker.
  std::optional<bus::BrokerConfig> rabbitmq;
  notify::NotifyConfig notify;      // [notify]: no channels = nobody is notified
  solver::Dns01Config dns01;        // [dns01]: empty = HTTP-01 only
  StoreSettings store;              // [store]: SQLite (default) or PostgreSQL (store_config.h)
  std::string source = "defaults";  // where it came from, for messages ("hub.toml")

  // The configured issuer called `name`, or nullptr.
  const issuance::IssuerConfig* FindIssuer(std::string_view name) const;
};

// Reads an environment variable; nullopt when unset. Injected so tests need no setenv.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// std::getenv.
EnvLookup ProcessEnvironment();

// Parses TOML text over the embedded defaults. `source` names the text in errors.
Result<HubConfig> ParseHubConfig(std::string_view toml_text, std::string_view source);

// Reads and parses `file` (kNotFound / kIo naming the file when unreadable).
Result<HubConfig> LoadHubConfigFile(const std::filesystem::path& file);

// Applies the CERTFLEET_HUB_* overrides above; errors name the variable.
Status ApplyEnvironment(HubConfig& config, const EnvLookup& env);

// Checks the whole config (after every override): data_dir set, listen "HOST:PORT",
// positive limits, known log level and key type, issuers with unique names other than
// "manual", https:// directories, readable CA files, EAB kid and key together, and a
// well-formed [rabbitmq] (amqp:// or amqps:// URL, exchange name, readable ca_file). It
// does not contact the broker: an unreachable broker or a refused login is logged by
// the running hub, which keeps serving. [notify] channels: notify::ValidateNotifyConfig.
Status ValidateHubConfig(const HubConfig& config);

}  // namespace certfleet::hub
