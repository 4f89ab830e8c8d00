// Heartbeats: when an agent's desired-state call must write its machine's agent_last_seen.
//
// Every agent pass starts with GET /api/v1/agent/desired, and that call is the agent's
// heartbeat. Writing agent_last_seen on every call was one of the two write transactions of
// a pass (issue 16: at 10,000 agents, each change to a fleet-wide domain cost 10,000 extra
// commits for a value nobody reads more finely than minutes: the UI, the fleet status and
// the "agent unseen" notice use 15 minutes). A heartbeat is now written when the machine's
// last one written by this hub is at least `interval` old, or the agent's version changed,
// or this hub has not written one for it yet (a restart, another replica's agent).
//
// So agent_last_seen lags the truth by less than `interval` (one minute in the hub).
//
// Thread-safe. Memory: one entry per machine that called this hub.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "store/store.h"

namespace certfleet::hub::api {

class Heartbeats {
 public:
  static constexpr Duration kInterval = std::chrono::minutes(1);

  Heartbeats() : Heartbeats(kInterval) {}
  explicit Heartbeats(Duration interval) : interval_(interval) {}

  // True when the heartbeat (machine, now, version) must be written; it is then counted as
  // written. Call Forget if the write fails, so the next call tries again.
  bool Due(store::Id machine, TimePoint now, std::string_view version);
  void Forget(store::Id machine);

 private:
  struct Last {
    TimePoint at;
    std::string version;
  };
  const Duration interval_;
  std::mutex mu_;
  std::unordered_map<store::Id, Last> last_;
};

}  // namespace certfleet::hub::api
