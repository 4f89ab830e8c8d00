#include "hub/metrics/metrics_route.h"

#include <spdlog/spdlog.h>

#include <memory>

#include "hub/api/guard.h"
#include "hub/metrics/metrics_page.h"

#ifndef CERTFLEET_VERSION
#define CERTFLEET_VERSION "dev"
#endif

namespace certfleet::hub::metrics {
namespace {

constexpr std::size_t kPartBytes = 64 * 1024;

http::Response Scrape(api::ApiContext& ctx, store::MetricsView& view,
                      const MetricsRouteOptions& options, const http::Request& request) {
  if (!options.public_access) {
    auto principal = api::Authenticate(ctx, request, Action::kReadMetrics);
    if (!principal) return api::ErrorResponse(principal.error());
  }
  auto snapshot = ReadFleetSnapshot(view, options.outbox_relay);
  if (!snapshot) {
    spdlog::warn("hub: /metrics: {}", snapshot.error().message);
    return http::Response::JsonError(503, "unavailable", "metrics: " + snapshot.error().message);
  }
  auto page = std::make_shared<MetricsPage>(std::move(*snapshot),
                                            PageOptions{.now = ctx.clock.Now(),
                                                        .outbox_relay = options.outbox_relay,
                                                        .version = CERTFLEET_VERSION,
                                                        .channels = options.channels});
  http::Response response;
  response.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.body_stream = [page](std::string& part) { return page->Next(part, kPartBytes); };
  return response;
}

}  // namespace

void AddMetricsRoute(http::Router& router, api::ApiContext& ctx, store::MetricsView& view,
                     MetricsRouteOptions options) {
  router.Add("GET", "/metrics",
             [&ctx, &view, options = std::move(options)](const http::Request& request) {
               return Scrape(ctx, view, options, request);
             });
}

}  // namespace certfleet::hub::metrics
