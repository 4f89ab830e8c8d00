// Notification settings from the hub config: the channels and the warning thresholds.
//
// In the hub's TOML file (every key optional unless marked):
//
//   [notify]
//   expiry_days = [30, 14, 7, 1]      # warn this many days before not_after (once each)
//   agent_unseen_minutes = 60         # warn when an agent has not reported for this long
//   retry_base_seconds = 30           # first retry after a failed delivery, then doubling
//   retry_cap_seconds = 3600          # ... up to this delay between attempts
//
//   [[notify.channel]]
//   name = "ops-chat"            # required; [a-z0-9_-], unique (`certfleet notify test ops-chat`)
//   type = "rocketchat"          # required: rocketchat | slack | webhook | email
//   url = "https://chat.example.com/hooks/ID/TOKEN"  # required for rocketchat/slack/webhook
//   secret = "..."               # webhook (required): HMAC-SHA256 key of X-Certfleet-Signature
//   ca_file = ""                 # PEM bundle to trust for https:// or smtps:// receivers
//   events = ["failed", "expiring", "agent_unseen"]
//                                # default: all of issued, renewed, deployed, failed,
//                                # expiring, agent_unseen, delegation
//   group_window_seconds = 300        # wait this long after the first notice, then send
//                                     # everything gathered as one message (0 = at once)
//   timeout_seconds = 10              # per delivery attempt
//   # email only:
//   smtp_server = "mail.example.com"  # required
//   smtp_port = 587                   # default 587 (starttls/none) or 465 (tls)
//   smtp_security = "starttls"        # starttls (required, not opportunistic) | tls | none
//   smtp_user = ""  smtp_password = ""  # AUTH when smtp_user is set
//   from = "certfleet@example.com"    # required
//   to = ["ops@example.com"]          # required, at least one
//
// Secrets may stay out of the file: CERTFLEET_HUB_NOTIFY_<NAME>_URL, _SECRET and
// _SMTP_PASSWORD (NAME upper-cased, '-' → '_') replace the file's values.
//
// Errors are kInvalidArgument in the hub config's style:
//   "config hub.toml: notify.channel[1].type: unknown channel type \"teams\" (...)".
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "notify/notice.h"
#include "notify/policy.h"

namespace certfleet::notify {

enum class ChannelType { kRocketChat, kSlack, kWebhook, kEmail };
std::string_view ChannelTypeName(ChannelType t);  // "rocketchat", "slack", "webhook", "email"
Result<ChannelType> ParseChannelType(std::string_view name);

enum class SmtpSecurity {
  kStartTls,  // plain connect, then STARTTLS; fails if the server does not offer it
  kTls,       // implicit TLS (smtps://, port 465)
  kNone,      // no TLS (local relays, tests)
};
std::string_view SmtpSecurityName(SmtpSecurity s);  // "starttls", "tls", "none"

struct SmtpSettings {
  std::string server;
  int port = 0;  // 0 = 587, or 465 for kTls
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string user;
  std::string password;  // never logged
  std::string from;
  std::vector<std::string> to;
};

struct ChannelConfig {
  std::string name;
  ChannelType type = ChannelType::kWebhook;
  std::string url;     // secret-bearing: never logged in full (see RedactUrl)
  std::string secret;  // webhook HMAC key; never logged
  std::string ca_file;
  SmtpSettings smtp;
  std::vector<NoticeKind> events;  // empty = every subscribable kind
  Duration group_window{std::chrono::minutes(5)};
  Duration timeout{std::chrono::seconds(10)};

  // Whether notices of `kind` go to this channel (kTest always does).
  bool Wants(NoticeKind kind) const;
};

struct NotifyConfig {
  std::vector<ChannelConfig> channels;
  std::vector<int> expiry_days{30, 14, 7, 1};
  Duration agent_unseen_after{std::chrono::hours(1)};
  RetryPolicy retry;  // delivery retries of every channel

  const ChannelConfig* FindChannel(std::string_view name) const;  // nullptr if absent
};

// Parses the [notify] table of a whole hub config TOML document (other tables are
// ignored; the hub must accept the key "notify" in its own unknown-key check). No
// [notify] table → defaults, no channels. Validates with ValidateNotifyConfig.
Result<NotifyConfig> ParseNotifyConfig(std::string_view toml_text, std::string_view source);

// Like ParseNotifyConfig (types, ranges, unknown keys and event names are checked) but
// without ValidateNotifyConfig, for callers that apply ApplyNotifyEnvironment first and
// validate afterwards (the hub: a channel's URL or secret may come from the environment).
Result<NotifyConfig> ReadNotifyConfig(std::string_view toml_text, std::string_view source);

// Applies the CERTFLEET_HUB_NOTIFY_* overrides above; the lookup returns nullopt when a
// variable is unset (the hub passes its EnvLookup).
void ApplyNotifyEnvironment(NotifyConfig& config,
                            const std::function<std::optional<std::string>(std::string_view)>& env);

// Unique names of the right shape, URLs with http(s):// for chat/webhook channels, a
// secret for webhooks, server/from/to for e-mail, thresholds in 0..366 days. `source`
// prefixes messages ("config hub.toml").
Status ValidateNotifyConfig(const NotifyConfig& config, std::string_view source);

// "https://chat.example.com/…": scheme and host only, for messages and logs (webhook
// paths usually are the token).
std::string RedactUrl(std::string_view url);

}  // namespace certfleet::notify
