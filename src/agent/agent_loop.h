// AgentLoop: the level-triggered driver. It runs a convergence pass on start, after
// every event from the hub's watch stream, on every Trigger() (e.g. a RabbitMQ
// message), every resync_interval, and when a failed deployment or an install nginx does
// not serve yet is due for another attempt (Deployer::NextAttemptAt); a pass that could
// not reach the hub is retried with exponential backoff (RetryDelay), while the files on
// disk keep serving. A redeploy request (event machine.redeploy_requested, or Redeploy())
// makes the next pass try the named domains afresh (Deployer::Redeploy).
//
// With another event source (options.push_connected set, e.g. RabbitMQ), the loop
// checks it at least every fallback_interval: while it is disconnected, a pass runs
// every fallback_interval, so a broker outage delays a deployment by at most that.
//
// Threads: Run() blocks the calling thread (the passes run there); a watch thread
// long-polls the hub. Stop() and Trigger() are thread-safe. Stop() cancels the long poll
// (HubClient::CancelWatch); the watch thread shares ownership of the HubClient, so with a
// client that cannot cancel, Run() still returns after a short grace period.
#pragma once

#include <functional>
#include <memory>

#include "agent/deployer.h"
#include "agent/hub_client.h"
#include "common/clock.h"

namespace certfleet::agent {

struct LoopOptions {
  Duration resync_interval = std::chrono::minutes(10);
  std::chrono::seconds watch_wait{50};
  Duration max_backoff = std::chrono::minutes(1);
  bool watch_stream = true;  // long-poll the hub's watch stream (off: events come via Trigger)
  // Another event source's health, or empty; called with the loop's lock held, so it
  // must be cheap and must not call back into the loop (an atomic load).
  std::function<bool()> push_connected;
  Duration fallback_interval = std::chrono::seconds(30);  // resync while it is down
  // Called after every pass with its result and duration (e.g. MetricsTextfile); optional.
  std::function<void(const Result<PassSummary>&, Duration)> after_pass;
};

// Backoff after `failures` consecutive failed passes (≥ 1): 1 s, 2 s, 4 s … up to `max`.
Duration RetryDelay(int failures, Duration max);

class AgentLoop {
 public:
  // `clock` times the passes (resync, retry, fallback, next attempt) and the loop's waits
  // (Clock::WaitFor); it must outlive the loop. The watch thread's backoff is real time.
  AgentLoop(std::shared_ptr<HubClient> hub, Deployer& deployer, Clock& clock, LoopOptions options);
  ~AgentLoop();  // Stop()
  AgentLoop(const AgentLoop&) = delete;
  AgentLoop& operator=(const AgentLoop&) = delete;

  // Runs passes until Stop(). Returns true when the watch thread has finished too; false
  // when it was left inside a long poll (it owns what it uses, but the process must then
  // end without static destructors: see main.cc).
  bool Run();
  void Stop();
  void Trigger();  // run a pass soon (as an event would)
  // Trigger() after Deployer::Redeploy(domain) ("" = every domain); thread-safe.
  void Redeploy(const std::string& domain);
  int passes() const;  // completed passes, successful or not

  // Implementation detail (shared with the watch thread); defined in agent_loop.cc.
  struct Shared;

 private:
  void WaitForWork(int failures);
  Result<PassSummary> ConvergeOnce();
  void RunPass(int& failures, bool resync);

  std::shared_ptr<HubClient> hub_;
  Deployer& deployer_;
  Clock& clock_;
  LoopOptions options_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace certfleet::agent
