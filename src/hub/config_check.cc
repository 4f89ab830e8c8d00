// Environment overrides and validation of HubConfig (see config.h).
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <set>

#include "common/log_format.h"
#include "crypto/key.h"
#include "hub/config.h"
#include "store/model.h"

namespace certfleet::hub {
namespace {

tl::unexpected<Error> Invalid(const HubConfig& config, const std::string& key,
                              const std::string& message) {
  return Fail(ErrorCode::kInvalidArgument, "config " + config.source + ": " + key + ": " + message);
}

Status ParseEnvInt(std::string_view var, const std::string& text, std::int64_t min,
                   std::int64_t max, std::int64_t& out) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "environment " + std::string(var) + ": must be an integer between " +
                    std::to_string(min) + " and " + std::to_string(max) + ", got \"" + text + "\"");
  }
  out = value;
  return Ok();
}

Status EnvInt(const EnvLookup& env, std::string_view var, int min, int max, int& out) {
  auto text = env(var);
  if (!text) return Ok();
  std::int64_t value = 0;
  if (auto s = ParseEnvInt(var, *text, min, max, value); !s) return s;
  out = static_cast<int>(value);
  return Ok();
}

// A size_t setting from the environment, within [min, max]; unset leaves `out` alone.
Status EnvSize(const EnvLookup& env, std::string_view name, std::int64_t min, std::int64_t max,
               std::size_t& out) {
  auto text = env(name);
  if (!text) return Ok();
  std::int64_t value = 0;
  if (auto p = ParseEnvInt(name, *text, min, max, value); !p) return p;
  out = static_cast<std::size_t>(value);
  return Ok();
}

void EnvString(const EnvLookup& env, std::string_view var, std::string& out) {
  if (auto text = env(var)) out = *text;
}

// "letsencrypt-staging" → "CERTFLEET_HUB_ISSUER_LETSENCRYPT_STAGING_EAB_HMAC_KEY".
std::string IssuerEnvName(std::string_view issuer) {
  std::string name = "CERTFLEET_HUB_ISSUER_";
  for (char c : issuer) {
    const auto u = static_cast<unsigned char>(c);
    name += std::isalnum(u) != 0 ? static_cast<char>(std::toupper(u)) : '_';
  }
  return name + "_EAB_HMAC_KEY";
}

// "HOST:PORT" or "[V6]:PORT" with a numeric port.
bool IsListenAddress(std::string_view listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const std::string_view port = listen.substr(colon + 1);
  unsigned value = 0;
  auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && ptr == port.data() + port.size() && !port.empty() && value <= 65535;
}

Status ValidateIssuer(const HubConfig& config, std::size_t index,
                      std::set<std::string, std::less<>>& names) {
  const auto& issuer = config.issuers[index];
  const std::string key = "issuer[" + std::to_string(index) + "].";
  if (issuer.name.empty()) return Invalid(config, key + "name", "is required");
  if (issuer.name == store::kManualIssuer) {
    return Invalid(config, key + "name", "\"manual\" is reserved for uploaded certificates");
  }
  for (char c : issuer.name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) == 0 && c != '-' && c != '_' && c != '.') {
      return Invalid(config, key + "name",
                     "use letters, digits, '-', '_' and '.' only, got \"" + issuer.name + "\"");
    }
  }
  if (!names.insert(issuer.name).second) {
    return Invalid(config, key + "name", "issuer \"" + issuer.name + "\" is defined twice");
  }
  if (issuer.directory_url.rfind("https://", 0) != 0 || issuer.directory_url.size() <= 8) {
    return Invalid(config, key + "directory",
                   "not a https:// URL: \"" + issuer.directory_url + "\"");
  }
  if (!issuer.ca_file.empty() && !std::ifstream(issuer.ca_file).good()) {
    return Invalid(config, key + "ca_file", "cannot read " + issuer.ca_file);
  }
  if (issuer.eab_kid.empty() != issuer.eab_hmac_key.empty()) {
    return Invalid(config, key + "eab_kid",
                   "eab_kid and eab_hmac_key must be given together (or " +
                       IssuerEnvName(issuer.name) + " for the key)");
  }
  return Ok();
}

// CERTFLEET_HUB_RABBITMQ_*: any of them turns [rabbitmq] on.
Status ApplyRabbitMqEnvironment(HubConfig& config, const EnvLookup& env) {
  static constexpr std::string_view kVars[] = {"CERTFLEET_HUB_RABBITMQ_URL",
                                               "CERTFLEET_HUB_RABBITMQ_USER",
                                               "CERTFLEET_HUB_RABBITMQ_PASSWORD",
                                               "CERTFLEET_HUB_RABBITMQ_VHOST",
                                               "CERTFLEET_HUB_RABBITMQ_CA_FILE",
                                               "CERTFLEET_HUB_RABBITMQ_EXCHANGE",
                                               "CERTFLEET_HUB_RABBITMQ_HEARTBEAT_SECONDS"};
  bool any = false;
  for (auto var : kVars) any = any || env(var).has_value();
  if (!any) return Ok();
  bus::BrokerConfig& mq = config.rabbitmq ? *config.rabbitmq : config.rabbitmq.emplace();
  EnvString(env, kVars[0], mq.url);
  EnvString(env, kVars[1], mq.user);
  EnvString(env, kVars[2], mq.password);
  EnvString(env, kVars[3], mq.vhost);
  if (auto ca = env(kVars[4])) mq.ca_file = *ca;
  EnvString(env, kVars[5], mq.exchange);
  return EnvInt(env, kVars[6], 0, 3600, mq.heartbeat_seconds);
}

Status ValidateRabbitMq(const HubConfig& config) {
  if (!config.rabbitmq) return Ok();
  const bus::BrokerConfig& mq = *config.rabbitmq;
  if (mq.url.empty()) {
    return Invalid(config, "rabbitmq.url",
                   "is required in [rabbitmq] (or CERTFLEET_HUB_RABBITMQ_URL), e.g. "
                   "\"amqp://127.0.0.1:5672/\"");
  }
  if (auto endpoint = bus::ResolveBrokerConfig(mq); !endpoint) {
    return Invalid(config, "rabbitmq", endpoint.error().message);
  }
  if (!mq.ca_file.empty() && !std::ifstream(mq.ca_file).good()) {
    return Invalid(config, "rabbitmq.ca_file", "cannot read " + mq.ca_file.string());
  }
  return Ok();
}

}  // namespace

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Status ApplyEnvironment(HubConfig& config, const EnvLookup& env) {
  if (auto dir = env("CERTFLEET_HUB_DATA_DIR")) config.data_dir = *dir;
  EnvString(env, "CERTFLEET_HUB_LISTEN", config.listen);
  EnvString(env, "CERTFLEET_HUB_CHALLENGE_LISTEN", config.challenge_listen);
  EnvString(env, "CERTFLEET_HUB_LOG_LEVEL", config.log_level);
  EnvString(env, "CERTFLEET_HUB_LOG_FORMAT", config.log_format);
  EnvString(env, "CERTFLEET_HUB_TLS_CERT_FILE", config.tls_cert_file);
  EnvString(env, "CERTFLEET_HUB_TLS_KEY_FILE", config.tls_key_file);
  if (auto text = env("CERTFLEET_HUB_METRICS_PUBLIC")) {
    if (*text != "true" && *text != "false") {
      return Fail(
          ErrorCode::kInvalidArgument,
          "environment CERTFLEET_HUB_METRICS_PUBLIC: must be \"true\" or \"false\", got \"" +
              *text + "\"");
    }
    config.metrics_public = *text == "true";
  }
  EnvString(env, "CERTFLEET_HUB_ISSUANCE_KEY_TYPE", config.issuance.key_type);
  Status s = EnvInt(env, "CERTFLEET_HUB_IO_THREADS", 1, 64, config.io_threads);
  if (s) s = EnvInt(env, "CERTFLEET_HUB_ISSUANCE_CONCURRENCY", 1, 256, config.issuance.concurrency);
  if (s) {
    s = EnvInt(env, "CERTFLEET_HUB_ISSUANCE_POLL_INTERVAL_SECONDS", 1, 86400,
               config.issuance.poll_interval_seconds);
  }
  if (s) {
    s = EnvInt(env, "CERTFLEET_HUB_ISSUANCE_LEASE_SECONDS", 5, 86400,
               config.issuance.lease_seconds);
  }
  if (s) {
    s = EnvInt(env, "CERTFLEET_HUB_ISSUANCE_CA_PROBE_SECONDS", 1, 3600,
               config.issuance.ca_probe_seconds);
  }
  constexpr std::int64_t kMaxCount = std::int64_t{1} << 24;
  if (s)
    s = EnvSize(env, "CERTFLEET_HUB_BODY_LIMIT", 1024, std::int64_t{1} << 30, config.body_limit);
  if (s) s = EnvSize(env, "CERTFLEET_HUB_MAX_CONNECTIONS", 0, kMaxCount, config.max_connections);
  if (s) {
    s = EnvSize(env, "CERTFLEET_HUB_MAX_CONNECTIONS_PER_ADDRESS", 0, kMaxCount,
                config.max_connections_per_address);
  }
  if (!s) return s;
  for (auto& issuer : config.issuers) {
    if (auto key = env(IssuerEnvName(issuer.name))) issuer.eab_hmac_key = *key;
  }
  notify::ApplyNotifyEnvironment(config.notify, env);
  if (auto secrets = solver::LoadDns01Secrets(config.dns01, env); !secrets) return secrets;
  ApplyStoreEnvironment(config.store, env);
  return ApplyRabbitMqEnvironment(config, env);
}

Status ValidateHubConfig(const HubConfig& config) {
  if (config.data_dir.empty()) {
    return Invalid(config, "data_dir",
                   "is required (set it in the file, CERTFLEET_HUB_DATA_DIR or --data-dir)");
  }
  if (!IsListenAddress(config.listen)) {
    return Invalid(config, "listen", "expected HOST:PORT, got \"" + config.listen + "\"");
  }
  if (!config.challenge_listen.empty() && !IsListenAddress(config.challenge_listen)) {
    return Invalid(config, "challenge_listen",
                   "expected HOST:PORT or \"\", got \"" + config.challenge_listen + "\"");
  }
  static const std::set<std::string, std::less<>> kLevels = {"trace", "debug",    "info", "warn",
                                                             "error", "critical", "off"};
  if (kLevels.count(config.log_level) == 0) {
    return Invalid(config, "log_level",
                   "expected one of trace, debug, info, warn, error, critical, off; got \"" +
                       config.log_level + "\"");
  }
  if (config.tls_cert_file.empty() != config.tls_key_file.empty()) {
    return Invalid(config, config.tls_cert_file.empty() ? "tls.cert_file" : "tls.key_file",
                   "tls.cert_file and tls.key_file must be given together");
  }
  for (const auto& [key, file] :
       {std::pair<std::string, std::string>{"tls.cert_file", config.tls_cert_file},
        {"tls.key_file", config.tls_key_file}}) {
    if (!file.empty() && !std::ifstream(file).good()) {
      return Invalid(config, key, "cannot read " + file);
    }
  }
  if (auto format = ParseLogFormat(config.log_format); !format) {
    return Invalid(config, "log_format", format.error().message);
  }
  if (auto type = crypto::ParseKeyType(config.issuance.key_type); !type) {
    return Invalid(config, "issuance.key_type", type.error().message);
  }
  std::set<std::string, std::less<>> names;
  for (std::size_t i = 0; i < config.issuers.size(); ++i) {
    if (auto s = ValidateIssuer(config, i, names); !s) return s;
  }
  if (auto s = notify::ValidateNotifyConfig(config.notify, "config " + config.source); !s) {
    return s;
  }
  if (auto s = solver::ValidateDns01Config(config.dns01, config.source); !s) return s;
  if (auto s = ValidateStoreSettings(config.store, config.source); !s) return s;
  return ValidateRabbitMq(config);
}

}  // namespace certfleet::hub
