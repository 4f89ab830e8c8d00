// `certfleet status`, `audit`, `events` and `issuer list`: what needs attention, what
// changed, what happens now.
#pragma once

#include <string>

#include "cli/context.h"
#include "common/error.h"

namespace certfleet::cli {

// GET /api/v1/status: counts and the attention list, worst first. Sets exit code 1 when
// anything of tone warn or bad needs attention (for cron and monitoring checks).
Status RunStatus(CliContext& ctx);

struct AuditOptions {
  std::string since;  // "24h", "7d", "30m" or a date/time "2026-12-05[T10:00:00Z]"; "" = all
  std::string domain, customer, machine, actor;  // substring filters on the entry
  int limit = 200;                               // entries shown at most
};
Status RunAudit(CliContext& ctx, const AuditOptions& o);

// Prints events after `since` (revision; -1 = only new ones from now); with `follow` keeps
// long-polling until interrupted.
Status RunEvents(CliContext& ctx, long long since, bool follow);

// "24h" → the RFC 3339 time that long before `now_rfc3339`'s moment; dates pass through.
Result<std::string> SinceToTime(const std::string& since,
                                std::chrono::system_clock::time_point now);

}  // namespace certfleet::cli
