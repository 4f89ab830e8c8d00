// GET /api/v1/events?since=REV&limit=N&wait=SECONDS&types=T1,T2: the watch stream.
//
// Answers at once when events after REV exist (or wait is 0); otherwise waits up to
// `wait` seconds (at most 55, under nginx's default proxy_read_timeout of 60 s) for the
// next commit. Agent tokens see only the events about their own machine. `types` (optional)
// keeps only those event types, e.g. an agent's "machine.desired_changed,
// machine.redeploy_requested", so its own deployment.reported events do not wake it.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/api/event_waiters.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

constexpr std::int64_t kMaxWaitSeconds = 55;
constexpr std::size_t kMaxTypes = 16;
constexpr std::size_t kMaxTypeLength = 64;

Result<std::string> SubjectFilter(ApiContext& ctx, const Principal& p) {
  if (p.role != store::Role::kAgent) return std::string();
  if (!p.machine_id) return Fail(ErrorCode::kPermissionDenied, "agent token without machine");
  auto machine = ctx.store.GetMachine(*p.machine_id);
  if (!machine) return Fail(machine.error());
  return "machine:" + machine->name;
}

bool IsEventType(const std::string& type) {
  if (type.empty() || type.size() > kMaxTypeLength) return false;
  return std::all_of(type.begin(), type.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '.' || c == '_'; });
}

// "a.b,c.d" → {"a.b", "c.d"}; "" → {} (every type).
Result<std::vector<std::string>> TypesFilter(const http::Request& req) {
  const std::string text = QueryString(req, "types");
  std::vector<std::string> types;
  size_t start = 0;
  while (start < text.size()) {
    const size_t comma = std::min(text.find(',', start), text.size());
    std::string type = text.substr(start, comma - start);
    if (!IsEventType(type)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "query parameter 'types': \"" + type.substr(0, kMaxTypeLength) +
                      "\" is not an event type (lower-case letters, '.' and '_', e.g. "
                      "machine.desired_changed)");
    }
    types.push_back(std::move(type));
    start = comma + 1;
  }
  if (types.size() > kMaxTypes) {
    return Fail(ErrorCode::kInvalidArgument,
                "query parameter 'types': at most " + std::to_string(kMaxTypes) + " types");
  }
  return types;
}

Result<EventWaiter> ParseWatch(ApiContext& ctx, const http::Request& req, const Principal& p,
                               std::int64_t& wait_seconds) {
  if (auto s = CheckQuery(req, {"since", "limit", "wait", "types"}); !s) return Fail(s.error());
  auto since = QueryInt(req, "since", 0, 0, INT64_MAX);
  auto limit = QueryInt(req, "limit", 100, 1, 1000);
  auto wait = QueryInt(req, "wait", 0, 0, kMaxWaitSeconds);
  auto types = TypesFilter(req);
  if (auto s = FirstError(since, limit, wait, types); !s) return Fail(s.error());
  auto subject = SubjectFilter(ctx, p);
  if (!subject) return Fail(subject.error());
  wait_seconds = *wait;
  return EventWaiter{
      *since, EventFilter{std::move(*subject), std::move(*types), !MaySeeTokenLifecycle(p.role)},
      *limit, http::Responder::Detached()};
}

void Watch(ApiContext& ctx, const http::Request& req, const Principal& p,
           http::Responder responder) {
  std::int64_t wait_seconds = 0;
  auto waiter = ParseWatch(ctx, req, p, wait_seconds);
  if (!waiter) {
    responder.Send(ErrorResponse(waiter.error()));
    return;
  }
  auto page = ctx.waiters.Read(waiter->since, waiter->filter, waiter->limit,
                               /*fresh=*/wait_seconds == 0);
  if (!page) {
    responder.Send(ErrorResponse(page.error()));
    return;
  }
  if (page->count > 0 || wait_seconds == 0) {
    responder.Send(PageResponse(*page));
    return;
  }
  waiter->since = page->cursor;
  responder.ExpireAfter(std::chrono::seconds(wait_seconds), PageResponse(*page));
  waiter->responder = std::move(responder);
  ctx.waiters.Add(std::move(*waiter));
}

}  // namespace

void AddEventRoutes(http::Router& router, ApiContext& ctx) {
  router.AddAsync("GET", "/api/v1/events",
                  GuardAsync(ctx, Action::kWatchEvents,
                             [&ctx](const http::Request& req, const Principal& p,
                                    http::Responder r) { Watch(ctx, req, p, std::move(r)); }));
}

}  // namespace certfleet::hub::api
