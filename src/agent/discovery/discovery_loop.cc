#include "agent/discovery/discovery_loop.h"

#include <spdlog/spdlog.h>

namespace certfleet::agent::discovery {

PassResult RunDiscoveryPass(const DiscoveryOptions& options, Clock& clock, InventoryClient& hub,
                            const DiscoverySeams& seams) {
  PassResult out;
  out.inventory = Discover(options, clock, seams);
  auto wanted = hub.Report(out.inventory);
  if (!wanted) {
    out.reported = Fail(wanted.error().WithContext("reporting the inventory"));
    return out;
  }
  out.uploads = AnswerUploads(*wanted, out.inventory, hub);
  return out;
}

DiscoveryLoop::DiscoveryLoop(DiscoveryOptions options, LoopSettings settings, Clock& clock,
                             std::shared_ptr<InventoryClient> hub, DiscoverySeams seams)
    : options_(std::move(options)),
      settings_(settings),
      clock_(clock),
      hub_(std::move(hub)),
      seams_(std::move(seams)) {}

DiscoveryLoop::~DiscoveryLoop() { Stop(); }

void DiscoveryLoop::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DiscoveryLoop::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int DiscoveryLoop::passes() const {
  std::lock_guard lock(mu_);
  return passes_;
}

bool DiscoveryLoop::WaitFor(Duration d) {
  std::unique_lock lock(mu_);
  return !clock_.WaitFor(lock, cv_, d, [this] { return stop_; });
}

void DiscoveryLoop::Run() {
  for (;;) {
    PassResult pass = RunDiscoveryPass(options_, clock_, *hub_, seams_);
    if (!pass.reported) spdlog::warn("discovery: {}", pass.reported.error().message);
    {
      std::lock_guard lock(mu_);
      ++passes_;
      last_ = std::move(pass.inventory);
    }
    const auto next_pass = clock_.SteadyNow() + settings_.interval;
    for (;;) {
      const auto left = next_pass - clock_.SteadyNow();
      if (left <= Duration(0)) break;
      const Duration poll = settings_.upload_poll > Duration(0)
                                ? std::min<Duration>(settings_.upload_poll,
                                                     std::chrono::duration_cast<Duration>(left))
                                : std::chrono::duration_cast<Duration>(left);
      if (!WaitFor(poll)) return;
      if (settings_.upload_poll <= Duration(0) || clock_.SteadyNow() >= next_pass) {
        continue;
      }
      auto wanted = hub_->PendingUploads();
      if (!wanted) {
        spdlog::debug("discovery: asking for uploads: {}", wanted.error().message);
      } else if (!wanted->empty()) {
        AnswerUploads(*wanted, *last_, *hub_);
      }
    }
    if (!WaitFor(Duration(0))) return;
  }
}

}  // namespace certfleet::agent::discovery
