#include "notify/notice.h"

#include <array>
#include <nlohmann/json.hpp>
#include <utility>

namespace certfleet::notify {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<NoticeKind, std::string_view>, 9> kKindNames{{
    {NoticeKind::kIssued, "issued"},
    {NoticeKind::kRenewed, "renewed"},
    {NoticeKind::kDeployed, "deployed"},
    {NoticeKind::kFailed, "failed"},
    {NoticeKind::kExpiring, "expiring"},
    {NoticeKind::kAgentUnseen, "agent_unseen"},
    {NoticeKind::kDelegation, "delegation"},
    {NoticeKind::kCapacity, "capacity"},
    {NoticeKind::kTest, "test"},
}};

Result<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kCritical}) {
    if (SeverityName(s) == name) return s;
  }
  return Fail(ErrorCode::kCorrupt, "notice: unknown severity \"" + std::string(name) + "\"");
}

}  // namespace

std::string_view NoticeKindName(NoticeKind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "unknown";
}

Result<NoticeKind> ParseNoticeKind(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (n == name) return k;
  }
  return Fail(ErrorCode::kInvalidArgument,
              "unknown notification event \"" + std::string(name) +
                  "\" (expected issued, renewed, deployed, failed, expiring, agent_unseen, "
                  "delegation, capacity)");
}

const std::vector<NoticeKind>& SubscribableKinds() {
  static const std::vector<NoticeKind> kinds{NoticeKind::kIssued,     NoticeKind::kRenewed,
                                             NoticeKind::kDeployed,   NoticeKind::kFailed,
                                             NoticeKind::kExpiring,   NoticeKind::kAgentUnseen,
                                             NoticeKind::kDelegation, NoticeKind::kCapacity};
  return kinds;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kCritical:
      return "critical";
  }
  return "info";
}

json NoticeToJson(const Notice& n) {
  json j{{"kind", NoticeKindName(n.kind)},
         {"severity", SeverityName(n.severity)},
         {"subject", n.subject},
         {"customer", n.customer},
         {"machines", n.machines},
         {"summary", n.summary},
         {"action", n.action}};
  j["at"] =
      n.at ? json(std::chrono::duration_cast<std::chrono::milliseconds>(n.at->time_since_epoch())
                      .count())
           : json();
  return j;
}

Result<Notice> NoticeFromJson(const json& j) {
  try {
    Notice n;
    auto kind = ParseNoticeKind(j.at("kind").get<std::string>());
    if (!kind) return Fail(ErrorCode::kCorrupt, "notice: " + kind.error().message);
    n.kind = *kind;
    auto severity = ParseSeverity(j.at("severity").get<std::string>());
    if (!severity) return Fail(severity.error());
    n.severity = *severity;
    n.subject = j.at("subject").get<std::string>();
    n.customer = j.value("customer", "");
    n.machines = j.value("machines", std::vector<std::string>{});
    n.summary = j.value("summary", "");
    n.action = j.value("action", "");
    if (j.contains("at") && j["at"].is_number_integer()) {
      n.at = TimePoint(std::chrono::milliseconds(j["at"].get<std::int64_t>()));
    }
    return n;
  } catch (const json::exception& e) {
    return Fail(ErrorCode::kCorrupt, std::string("notice: malformed payload: ") + e.what());
  }
}

}  // namespace certfleet::notify
