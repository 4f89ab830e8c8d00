// GET /api/v1/events?since=REV&limit=N&wait=SECONDS: the watch stream.
//
// Answers at once when events after REV exist (or wait is 0); otherwise waits up to
// `wait` seconds (at most 55, under nginx's default proxy_read_timeout of 60 s) for the
// next commit. Agent tokens see only the events about their own machine.
#include <nlohmann/json.hpp>

#include "hub/api/event_waiters.h"
#include "hub/api/guard.h"
#include "hub/api/json_body.h"
#include "hub/api/routes.h"

namespace certfleet::hub::api {
namespace {

constexpr std::int64_t kMaxWaitSeconds = 55;

Result<std::string> SubjectFilter(ApiContext& ctx, const Principal& p) {
  if (p.role != store::Role::kAgent) return std::string();
  if (!p.machine_id) return Fail(ErrorCode::kPermissionDenied, "agent token without machine");
  auto machine = ctx.store.GetMachine(*p.machine_id);
  if (!machine) return Fail(machine.error());
  return "machine:" + machine->name;
}

Result<EventWaiter> ParseWatch(ApiContext& ctx, const http::Request& req, const Principal& p,
                               std::int64_t& wait_seconds) {
  auto since = QueryInt(req, "since", 0, 0, INT64_MAX);
  auto limit = QueryInt(req, "limit", 100, 1, 1000);
  auto wait = QueryInt(req, "wait", 0, 0, kMaxWaitSeconds);
  if (auto s = FirstError(since, limit, wait); !s) return Fail(s.error());
  auto subject = SubjectFilter(ctx, p);
  if (!subject) return Fail(subject.error());
  wait_seconds = *wait;
  return EventWaiter{*since, std::move(*subject), *limit, http::Responder::Detached()};
}

void Watch(ApiContext& ctx, const http::Request& req, const Principal& p,
           http::Responder responder) {
  std::int64_t wait_seconds = 0;
  auto waiter = ParseWatch(ctx, req, p, wait_seconds);
  if (!waiter) {
    responder.Send(ErrorResponse(waiter.error()));
    return;
  }
  // Filtered watchers read a larger window so other machines' events do not starve them.
  auto events =
      ctx.store.ListEventsSince(waiter->since, waiter->subject.empty() ? waiter->limit : 1000);
  if (!events) {
    responder.Send(ErrorResponse(events.error()));
    return;
  }
  nlohmann::json page = EventsPage(*events, waiter->since, waiter->subject, waiter->limit);
  if (!page["events"].empty() || wait_seconds == 0) {
    responder.Send(http::Response::Json(page));
    return;
  }
  waiter->since = page["revision"].get<store::Revision>();
  responder.ExpireAfter(std::chrono::seconds(wait_seconds), http::Response::Json(page));
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
