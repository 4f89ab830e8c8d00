// Discovery in the running agent ([discovery] enabled = true) and the one-shot pass of
// `certfleet-agent discover`.
//
// A pass: Discover (discoverer.h) → report to the hub → answer the uploads the hub wants
// (uploader.h). The loop runs a pass at start and every `interval`, and between passes asks
// the hub every `upload_poll` whether it wants an upload (support adopted a name), answering
// from the last pass's inventory. A hub that cannot be reached costs nothing but a log line:
// the next pass reports again. Its own thread; Stop() is thread-safe and returns after the
// current step.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "agent/discovery/discoverer.h"
#include "agent/discovery/inventory_client.h"
#include "agent/discovery/uploader.h"

namespace certfleet::agent::discovery {

struct PassResult {
  Inventory inventory;
  Status reported = Ok();  // the report's fate
  UploadOutcome uploads;
};

// One pass; never throws. `clock` stamps the inventory.
PassResult RunDiscoveryPass(const DiscoveryOptions& options, Clock& clock, InventoryClient& hub,
                            const DiscoverySeams& seams = SystemSeams());

struct LoopSettings {
  Duration interval = std::chrono::minutes(10);
  Duration upload_poll = std::chrono::minutes(1);  // 0 = only after passes
};

class DiscoveryLoop {
 public:
  DiscoveryLoop(DiscoveryOptions options, LoopSettings settings, Clock& clock,
                std::shared_ptr<InventoryClient> hub, DiscoverySeams seams = SystemSeams());
  ~DiscoveryLoop();  // Stop()

  void Start();
  void Stop();
  int passes() const;

 private:
  void Run();
  bool WaitFor(Duration d);  // false when stopped

  DiscoveryOptions options_;
  LoopSettings settings_;
  Clock& clock_;
  std::shared_ptr<InventoryClient> hub_;
  DiscoverySeams seams_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  int passes_ = 0;
  std::optional<Inventory> last_;
  std::thread thread_;
};

}  // namespace certfleet::agent::discovery
