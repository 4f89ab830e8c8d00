// ApiContext: what the API handlers share. Owned by the App; outlives the server.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "crypto/envelope.h"
#include "http/request.h"
#include "hub/api/heartbeats.h"
#include "hub/api/report_batcher.h"
#include "hub/auth.h"
#include "hub/config.h"
#include "hub/service/context.h"
#include "store/store.h"

namespace certfleet::issuance {
class Dns01Runtime;
}

namespace certfleet::hub::api {

class EventWaiters;

// One part of the hub as /healthz shows it: {"name": {"healthy": bool, "detail": "..."}}.
struct ComponentHealth {
  std::string name;
  bool healthy = true;
  std::string detail;  // what is wrong (or a short status); never a secret
};

struct ApiContext {
  store::Store& store;
  const crypto::Envelope& envelope;
  Clock& clock;
  const HubConfig& config;
  const Authenticator& auth;
  EventWaiters& waiters;
  // The hub's DNS-01 machinery ([dns01]; null without it): the delegation check and labels.
  const issuance::Dns01Runtime* dns01 = nullptr;
  // Tells the issuance worker that a domain became due (no-op without a worker).
  std::function<void()> wake_issuance = [] {};
  // Parts of the hub beside the store that GET /healthz reports (e.g. the RabbitMQ relay).
  // Called on an io thread: must be quick and thread-safe.
  std::function<std::vector<ComponentHealth>()> component_health = [] {
    return std::vector<ComponentHealth>{};
  };
  // Set by the web UI (ui::AddUiRoutes): whether the request (its headers) belongs to a
  // signed-in UI session. AdmitBody asks it before reading a form's body. Thread-safe.
  std::function<bool(const http::Request&)> ui_signed_in = [](const http::Request&) {
    return false;
  };
  // Which desired-state calls write agent_last_seen (the agents' heartbeat). Thread-safe.
  Heartbeats heartbeats;
  // The agents' deployment reports, written in groups (issue 16). Stopped with the server.
  std::unique_ptr<ReportBatcher> reports = std::make_unique<ReportBatcher>(store);
};

// What the service layer (hub/service) needs, taken from `ctx` for one call.
inline service::ServiceContext Services(ApiContext& ctx) {
  return service::ServiceContext{ctx.store, ctx.clock, ctx.config, ctx.envelope,
                                 [&ctx] { ctx.wake_issuance(); }};
}

}  // namespace certfleet::hub::api
