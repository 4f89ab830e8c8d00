// Notice: one fact worth telling people about (a certificate renewed, an order failed, a
// certificate about to expire, an agent gone quiet), already resolved to names.
//
// Notices are what the dispatcher puts into the persistent notification queue (one per
// channel, as payload_json) and what a channel worker groups into one Message. They are
// built from store events and scans, so they hold names, serials and times only: never
// key material, tokens or webhook URLs.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::notify {

enum class NoticeKind {
  kIssued,       // a domain's first certificate
  kRenewed,      // a newer certificate replaced the current one
  kDeployed,     // every hosting machine reported on a certificate (success or not)
  kFailed,       // an issuance attempt failed (CA detail, next retry)
  kExpiring,     // a certificate that will not renew by itself nears not_after
  kAgentUnseen,  // a machine's agent has not reported for too long
  kDelegation,   // a domain waits for its DNS-01 delegation (CNAME), or no longer does
  kCapacity,     // an issuer's order pacing cannot keep up with its fleet (issuance/capacity.h)
  kTest,         // `certfleet notify test CHANNEL`
};
// Stable names, used in channel event filters and JSON: "issued", "renewed", "deployed",
// "failed", "expiring", "agent_unseen", "delegation", "capacity", "test".
std::string_view NoticeKindName(NoticeKind kind);
// kInvalidArgument naming the value and the accepted names.
Result<NoticeKind> ParseNoticeKind(std::string_view name);
// Every kind a channel can subscribe to (all but kTest, which always goes through).
const std::vector<NoticeKind>& SubscribableKinds();

enum class Severity { kInfo, kWarning, kCritical };
std::string_view SeverityName(Severity s);  // "info", "warning", "critical"

struct Notice {
  NoticeKind kind = NoticeKind::kTest;
  Severity severity = Severity::kInfo;
  std::string subject;   // the domain; the machine for kAgentUnseen; "issuer X" for kCapacity
  std::string customer;  // customer name; "" when the domain has none
  std::vector<std::string> machines;  // names of the machines concerned
  std::string summary;                // one line: what happened ("renewed, valid until ...")
  std::string action;                 // what a person should do next; "" when nothing
  std::optional<TimePoint> at;        // the time the summary refers to (not_after, retry, ...)
};

// Lossless JSON round trip (the queue's payload_json). FromJson: kCorrupt naming the
// field when the payload is not a notice.
nlohmann::json NoticeToJson(const Notice& n);
Result<Notice> NoticeFromJson(const nlohmann::json& j);

}  // namespace certfleet::notify
