// BrokerConfig: how to reach RabbitMQ, as written in the hub's and agent's config files,
// and its validation into a BrokerEndpoint the connection code uses.
//
//   url = "amqps://certfleet@mq.example.net:5671/prod"  # amqp:// (5672) or amqps:// (5671)
//   user = "certfleet"      # overrides the URL's user (default "guest")
//   password = "..."        # overrides the URL's password; keep it out of the URL if you can
//   vhost = "prod"          # overrides the URL's path (default "/"; "%2f" in a URL is "/")
//   ca_file = "/etc/certfleet/mq-ca.pem"   # amqps: trusted CA (default: the system bundle)
//   heartbeat_seconds = 30  # 0 disables heartbeats
//   exchange = "certfleet.events"
//
// Messages never show the password: URLs in errors and logs are redacted (DisplayUrl).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::bus {

inline constexpr std::string_view kDefaultExchange = "certfleet.events";
inline constexpr std::string_view kSystemCaBundle = "/etc/ssl/certs/ca-certificates.crt";

struct BrokerConfig {
  std::string url;
  std::string user;
  std::string password;
  std::string vhost;
  std::filesystem::path ca_file;
  int heartbeat_seconds = 30;
  std::string exchange = std::string(kDefaultExchange);
  Duration connect_timeout{std::chrono::seconds(5)};  // TCP + TLS + AMQP handshake
  Duration rpc_timeout{std::chrono::seconds(10)};     // each broker round trip, and confirms
};

// A validated BrokerConfig with the URL taken apart and the overrides applied.
struct BrokerEndpoint {
  bool tls = false;
  std::string host;
  std::uint16_t port = 0;
  std::string user;
  std::string password;
  std::string vhost;
  std::filesystem::path ca_file;  // tls only
  int heartbeat_seconds = 30;
  std::string exchange;
  Duration connect_timeout{};
  Duration rpc_timeout{};

  // "amqp://127.0.0.1:5672/" or "amqps://mq.example.net:5671/prod": no credentials.
  std::string DisplayUrl() const;
};

// Checks and resolves `config`. kInvalidArgument naming the field and what is wrong,
// e.g. `RabbitMQ URL (not shown: …): scheme must be amqp:// or amqps://`. The URL and
// its pieces are never quoted in an error: the password is never printed, whatever
// characters it holds. Does not touch the network or the file system.
Result<BrokerEndpoint> ResolveBrokerConfig(const BrokerConfig& config);

// `url` with the password of its user-info replaced by "***" (for messages): everything
// between the first ':' after the scheme and the URL's last '@'.
std::string RedactUrl(std::string_view url);

}  // namespace certfleet::bus
