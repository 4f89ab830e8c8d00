#include "cli/watch_commands.h"

#include <chrono>
#include <ctime>
#include <ostream>
#include <thread>

#include "cli/json_text.h"

namespace certfleet::cli {
namespace {

using nlohmann::json;

std::string Rfc3339(std::chrono::system_clock::time_point t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

void PrintCounts(CliContext& ctx, const json& c) {
  ctx.out << "domains: " << Text(c, "domains") << " (" << Text(c, "valid") << " valid, "
          << Text(c, "renewing") << " renewing, " << Text(c, "failed") << " failed, "
          << Text(c, "awaiting_upload") << " awaiting upload, " << Text(c, "expiring_soon")
          << " expiring within 30 days, " << Text(c, "expired") << " expired)\n"
          << "machines: " << Text(c, "machines") << " (" << Text(c, "agents_silent")
          << " agents silent), deployments failed for " << Text(c, "deploy_failed")
          << " domains, not yet deployed for " << Text(c, "not_deployed") << "\n";
}

Table AttentionTable(const json& items) {
  Table t{{{"TONE"},
           {"KIND"},
           {"DOMAIN", false, true},
           {"MACHINE"},
           {"MESSAGE", false, true},
           {"WHEN", true}},
          {},
          {},
          0};
  for (const auto& a : items) {
    t.rows.push_back({Text(a, "tone"), Text(a, "kind"), Text(a, "domain"), Text(a, "machine"),
                      Text(a, "message"), Text(a, "when")});
    t.tones.push_back(Text(a, "tone"));
  }
  return t;
}

Table AuditTable(const json& items) {
  Table t{{{"WHEN"},
           {"WHO"},
           {"WHAT", false, true},
           {"CHANGES", true},
           {"ACTION", true},
           {"TARGET", true}},
          {},
          {},
          -1};
  for (const auto& e : items) {
    t.rows.push_back({Text(e, "at"), Text(e, "who"), Text(e, "summary"),
                      Joined(e.value("changes", json::array()), "; "), Text(e, "action"),
                      Text(e, "target")});
  }
  return t;
}

std::string AuditQuery(const AuditOptions& o, const std::string& since) {
  std::string q = "/api/v1/audit?limit=" + std::to_string(std::clamp(o.limit, 1, 1000));
  auto add = [&q](const char* key, const std::string& value) {
    if (!value.empty()) q += std::string("&") + key + "=" + UrlEncode(value);
  };
  add("since", since);
  add("domain", o.domain);
  add("customer", o.customer);
  add("machine", o.machine);
  add("actor", o.actor);
  return q;
}

void PrintEvent(CliContext& ctx, const json& e) {
  if (ctx.json()) {
    ctx.out << e.dump() << "\n";  // one JSON object per line, for jq and follow
  } else {
    ctx.out << Text(e, "revision") << "  " << Text(e, "created_at") << "  " << Text(e, "type")
            << "  " << Text(e, "subject") << "\n";
  }
  ctx.out.flush();
}

}  // namespace

Result<std::string> SinceToTime(const std::string& since,
                                std::chrono::system_clock::time_point now) {
  if (since.empty()) return std::string();
  const char unit = since.back();
  const std::string digits = since.substr(0, since.size() - 1);
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos &&
      (unit == 'm' || unit == 'h' || unit == 'd')) {
    const long long n = std::stoll(digits);
    const auto span = unit == 'm'   ? std::chrono::minutes(n)
                      : unit == 'h' ? std::chrono::hours(n)
                                    : std::chrono::hours(24 * n);
    return Rfc3339(now - span);
  }
  if (since.size() == 10 && since[4] == '-' && since[7] == '-') return since + "T00:00:00Z";
  if (since.size() >= 20 && since[10] == 'T') return since;
  return Fail(ErrorCode::kInvalidArgument,
              "--since " + since +
                  ": use a span such as 30m, 24h or 7d, or a date 2026-12-05 "
                  "or time 2026-12-05T10:00:00Z");
}

Status RunStatus(CliContext& ctx) {
  auto status = ctx.hub.Get("/api/v1/status");
  if (!status) return Fail(status.error());
  const json& attention = Field(*status, "attention");
  if (status->value("needs_attention", false)) ctx.exit_code = 1;
  if (ctx.format != OutputFormat::kTable) {
    Print(ctx.out, ctx.format, AttentionTable(attention), *status, ctx.terminal);
    return Ok();
  }
  PrintCounts(ctx, Field(*status, "counts"));
  if (attention.empty()) {
    ctx.out << "nothing needs attention\n";
    return Ok();
  }
  ctx.out << "\n";
  PrintTable(ctx.out, AttentionTable(attention), false, ctx.terminal);
  return Ok();
}

Status RunAudit(CliContext& ctx, const AuditOptions& o) {
  auto since = SinceToTime(o.since, std::chrono::system_clock::now());
  if (!since) return Fail(since.error());
  json items = json::array();
  std::string path = AuditQuery(o, *since);
  for (;;) {  // follow next_before until `limit` entries or the search ends
    auto page = ctx.hub.Get(path);
    if (!page) return Fail(page.error());
    for (const auto& e : Items(*page)) {
      if (static_cast<int>(items.size()) < o.limit) items.push_back(e);
    }
    const json& next = Field(*page, "next_before");
    if (static_cast<int>(items.size()) >= o.limit || !next.is_number()) break;
    path = AuditQuery(o, *since) + "&before=" + next.dump();
  }
  Print(ctx.out, ctx.format, AuditTable(items), json{{"items", items}}, ctx.terminal);
  return Ok();
}

Status RunEvents(CliContext& ctx, long long since, bool follow) {
  if (since < 0) {  // start at the newest revision: only what happens from now on
    auto health = ctx.hub.Get("/healthz");
    if (!health) return Fail(health.error());
    since = health->value("revision", 0LL);
  }
  for (;;) {
    auto page = ctx.hub.Get("/api/v1/events?since=" + std::to_string(since) +
                            "&limit=1000&wait=" + (follow ? "25" : "0"));
    if (!page) return Fail(page.error());
    for (const auto& e : page->value("events", json::array())) PrintEvent(ctx, e);
    const long long next = page->value("revision", since);
    if (!follow && next == since) return Ok();
    since = next;
  }
}

}  // namespace certfleet::cli
