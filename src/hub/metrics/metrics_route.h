// GET /metrics: the hub's Prometheus endpoint (docs/metrics.md).
//
// Authenticated like the API (a token of role metrics, readonly, support or admin) unless
// the hub config says `[metrics] public = true`, for a Prometheus on a trusted network.
// Each scrape reads a FleetSnapshot (one read transaction on the MetricsView's own
// connection) and streams the text part by part (chunked), so its memory stays small.
// A store that cannot be read answers 503 (Prometheus then records the target as down).
#pragma once

#include <string>
#include <vector>

#include "http/router.h"
#include "hub/api/context.h"
#include "issuance/issuer_config.h"
#include "store/metrics_view.h"

namespace certfleet::hub::metrics {

struct MetricsRouteOptions {
  bool public_access = false;
  bool outbox_relay = false;                    // [rabbitmq] configured
  std::vector<std::string> channels;            // [[notify.channel]] names
  std::vector<issuance::IssuerConfig> issuers;  // [[issuer]]: the order capacity gauge
};

// `view` must outlive the router.
void AddMetricsRoute(http::Router& router, api::ApiContext& ctx, store::MetricsView& view,
                     MetricsRouteOptions options);

}  // namespace certfleet::hub::metrics
