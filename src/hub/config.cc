#include "hub/config.h"

#include <toml++/toml.h>

#include <cstdint>
#include <limits>

#include "common/atomic_file.h"
#include "common/toml_table_reader.h"

namespace certfleet::hub {
namespace {

// `challenges = ["dns-01", "http-01"]`: which types, in order of preference.
Status ReadChallenges(TomlTableReader& r, issuance::IssuerConfig& out) {
  std::vector<std::string> types;
  if (auto s = r.Strings("challenges", types); !s || types.empty()) return s;
  out.http01 = out.dns01 = out.prefer_dns01 = false;
  for (const std::string& type : types) {
    if (type == "http-01") {
      out.http01 = true;
    } else if (type == "dns-01") {
      out.prefer_dns01 = !out.http01;
      out.dns01 = true;
    } else {
      return r.Bad("challenges", "\"" + type + "\" is not http-01 or dns-01");
    }
  }
  return Ok();
}

Status ReadIssuer(const toml::table& table, const std::string& prefix, std::string_view source,
                  issuance::IssuerConfig& out) {
  TomlTableReader r(table, prefix, source);
  std::int64_t window_seconds = out.window.count();
  Status s = r.String("name", out.name);
  if (s) s = r.String("directory", out.directory_url);
  if (s) s = r.String("ca_file", out.ca_file);
  if (s) s = r.String("contact", out.contact_email);
  if (s) s = r.String("eab_kid", out.eab_kid);
  if (s) s = r.String("eab_hmac_key", out.eab_hmac_key);
  if (s) s = r.String("preferred_chain", out.preferred_chain);
  if (s) s = r.Int("orders_per_window", 1, 1'000'000, out.orders_per_window);
  if (s) s = r.Int("window_seconds", std::int64_t{1}, std::int64_t{7 * 86400}, window_seconds);
  if (s) s = r.Bool("dns01", out.dns01);
  if (s) s = ReadChallenges(r, out);
  if (s) s = r.RejectUnknown();
  out.window = std::chrono::seconds(window_seconds);
  return s;
}

Status ReadIssuers(TomlTableReader& top, std::string_view source, HubConfig& config) {
  const toml::node* node = top.Take("issuer");
  if (node == nullptr) return Ok();
  const toml::array* array = node->as_array();
  if (array == nullptr) return top.Bad("issuer", "must be an array of tables ([[issuer]])");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string prefix = "issuer[" + std::to_string(i) + "].";
    const toml::table* table = array->get(i)->as_table();
    if (table == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "config " + std::string(source) + ": issuer[" +
                                                   std::to_string(i) + "]: must be a table");
    }
    issuance::IssuerConfig issuer;
    if (auto s = ReadIssuer(*table, prefix, source, issuer); !s) return s;
    config.issuers.push_back(std::move(issuer));
  }
  return Ok();
}

Status ReadIssuance(TomlTableReader& top, std::string_view source, IssuanceSettings& out) {
  const toml::node* node = top.Take("issuance");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("issuance", "must be a table ([issuance])");
  TomlTableReader r(*node->as_table(), "issuance.", source);
  Status s = r.Int("concurrency", 1, 256, out.concurrency);
  if (s) s = r.Int("poll_interval_seconds", 1, 86400, out.poll_interval_seconds);
  if (s) s = r.Int("lease_seconds", 5, 86400, out.lease_seconds);
  if (s) s = r.Int("ca_probe_seconds", 1, 3600, out.ca_probe_seconds);
  if (s) s = r.String("key_type", out.key_type);
  if (s) s = r.RejectUnknown();
  return s;
}

Status ReadMetrics(TomlTableReader& top, std::string_view source, HubConfig& config) {
  const toml::node* node = top.Take("metrics");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("metrics", "must be a table ([metrics])");
  TomlTableReader r(*node->as_table(), "metrics.", source);
  Status s = r.Bool("public", config.metrics_public);
  if (s) s = r.RejectUnknown();
  return s;
}

Status ReadTls(TomlTableReader& top, std::string_view source, HubConfig& config) {
  const toml::node* node = top.Take("tls");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("tls", "must be a table ([tls])");
  TomlTableReader r(*node->as_table(), "tls.", source);
  Status s = r.String("cert_file", config.tls_cert_file);
  if (s) s = r.String("key_file", config.tls_key_file);
  if (s) s = r.RejectUnknown();
  return s;
}

Status ReadRabbitMq(TomlTableReader& top, std::string_view source, HubConfig& config) {
  const toml::node* node = top.Take("rabbitmq");
  if (node == nullptr) return Ok();
  if (!node->is_table()) return top.Bad("rabbitmq", "must be a table ([rabbitmq])");
  TomlTableReader r(*node->as_table(), "rabbitmq.", source);
  bus::BrokerConfig& out = config.rabbitmq.emplace();
  std::string ca_file;
  Status s = r.String("url", out.url);
  if (s) s = r.String("user", out.user);
  if (s) s = r.String("password", out.password);
  if (s) s = r.String("vhost", out.vhost);
  if (s) s = r.String("ca_file", ca_file);
  if (s) s = r.Int("heartbeat_seconds", 0, 3600, out.heartbeat_seconds);
  if (s) s = r.String("exchange", out.exchange);
  if (s) s = r.RejectUnknown();
  out.ca_file = ca_file;
  return s;
}

Status ReadTop(const toml::table& table, std::string_view source, HubConfig& config) {
  TomlTableReader r(table, "", source);
  std::string data_dir;
  std::int64_t body_limit = static_cast<std::int64_t>(config.body_limit);
  auto max_connections = static_cast<std::int64_t>(config.max_connections);
  auto per_address = static_cast<std::int64_t>(config.max_connections_per_address);
  Status s = r.String("data_dir", data_dir);
  if (s) s = r.String("listen", config.listen);
  if (s) s = r.String("challenge_listen", config.challenge_listen);
  if (s) s = r.Int("io_threads", 1, 64, config.io_threads);
  if (s) s = r.Int("body_limit", std::int64_t{1024}, std::int64_t{1} << 30, body_limit);
  if (s) s = r.Int("max_connections", std::int64_t{0}, std::int64_t{1} << 24, max_connections);
  if (s) {
    s = r.Int("max_connections_per_address", std::int64_t{0}, std::int64_t{1} << 24, per_address);
  }
  if (s) s = r.String("log_level", config.log_level);
  if (s) s = r.String("log_format", config.log_format);
  if (s) s = ReadIssuance(r, source, config.issuance);
  if (s) s = ReadIssuers(r, source, config);
  if (s) s = ReadRabbitMq(r, source, config);
  if (s) s = ReadMetrics(r, source, config);
  if (s) s = ReadTls(r, source, config);
  if (s) s = ReadStoreSection(r, source, config.store);
  r.Take("notify");  // read by notify::ReadNotifyConfig (ParseHubConfig)
  r.Take("dns01");   // read by solver::ReadDns01Config (ParseHubConfig)
  if (s) s = r.RejectUnknown();
  if (!data_dir.empty()) config.data_dir = data_dir;
  config.body_limit = static_cast<std::size_t>(body_limit);
  config.max_connections = static_cast<std::size_t>(max_connections);
  config.max_connections_per_address = static_cast<std::size_t>(per_address);
  return s;
}

}  // namespace

const issuance::IssuerConfig* HubConfig::FindIssuer(std::string_view name) const {
  for (const auto& issuer : issuers) {
    if (issuer.name == name) return &issuer;
  }
  return nullptr;
}

Result<HubConfig> ParseHubConfig(std::string_view toml_text, std::string_view source) {
  HubConfig config;
  config.source = std::string(source);
  auto table = ParseTomlDocument(toml_text, source);
  if (!table) return Fail(table.error());
  if (auto s = ReadTop(*table, source, config); !s) return Fail(s.error());
  // Validated after the environment overrides (a channel URL may come from there).
  auto notify_config = notify::ReadNotifyConfig(toml_text, source);
  if (!notify_config) return Fail(notify_config.error());
  config.notify = std::move(*notify_config);
  auto dns01 = solver::ReadDns01Config(toml_text, source);
  if (!dns01) return Fail(dns01.error());
  config.dns01 = std::move(*dns01);
  return config;
}

Result<HubConfig> LoadHubConfigFile(const std::filesystem::path& file) {
  auto text = ReadFile(file, 1u << 20);
  if (!text) return Fail(text.error().WithContext("reading config file " + file.string()));
  return ParseHubConfig(*text, file.string());
}

}  // namespace certfleet::hub
