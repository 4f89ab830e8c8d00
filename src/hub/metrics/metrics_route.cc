#include "hub/metrics/metrics_route.h"

#include <malloc.h>
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

// The page of one scrape; when the response is done, its memory goes back to the system.
// glibc keeps freed blocks in the arena of the thread that used them, and the next scrape
// may run on another io thread with an arena of its own: each io thread kept a snapshot's
// ~17 MB (at 100,000 domains), and two scrapes raised the hub's peak RSS by 34 MB against
// issue 18's 20 MB (BENCHMARKS.md). The trim runs once per scrape, after the last byte.
class TrimmedPage {
 public:
  explicit TrimmedPage(std::unique_ptr<MetricsPage> page) : page_(std::move(page)) {}
  ~TrimmedPage() {
    page_.reset();
    malloc_trim(0);
  }
  TrimmedPage(const TrimmedPage&) = delete;
  TrimmedPage& operator=(const TrimmedPage&) = delete;
  bool Next(std::string& part) { return page_->Next(part, kPartBytes); }

 private:
  std::unique_ptr<MetricsPage> page_;
};

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
  auto page = std::make_shared<TrimmedPage>(std::make_unique<MetricsPage>(
      std::move(*snapshot), PageOptions{.now = ctx.clock.Now(),
                                        .outbox_relay = options.outbox_relay,
                                        .version = CERTFLEET_VERSION,
                                        .channels = options.channels,
                                        .issuers = options.issuers}));
  http::Response response;
  response.headers.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.body_stream = [page](std::string& part) { return page->Next(part); };
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
