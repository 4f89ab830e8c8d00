#include "agent/agent_loop.h"

#include <malloc.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "agent/hub_failure.h"
#include "store/event_types.h"

namespace certfleet::agent {

// State shared with the watch thread, which may outlive the loop by one long poll.
struct AgentLoop::Shared {
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  bool triggered = true;  // the first pass runs at once
  bool resync_due = false;
  bool watch_done = false;
  Revision revision = -1;             // -1 until the first pass read the desired state
  std::vector<std::string> redeploy;  // domains to redeploy at the next pass ("" = all)
  // When the deployer wants another attempt (failed or unserved), as of the last pass.
  std::optional<SteadyTime> next_attempt;
  int passes = 0;
  SteadyTime next_resync;
  SteadyTime last_pass;  // when the last pass ended (start: Run())
};

namespace {

constexpr auto kStopGrace = std::chrono::milliseconds(200);
constexpr Duration kMinAttemptGap = std::chrono::milliseconds(100);

// Long-polls the hub and triggers a pass for every page with events.
void WatchLoop(std::shared_ptr<HubClient> hub, std::shared_ptr<AgentLoop::Shared> shared,
               std::chrono::seconds wait, Duration max_backoff);

}  // namespace

Duration RetryDelay(int failures, Duration max) {
  Duration delay = std::chrono::seconds(1);
  for (int i = 1; i < failures && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

AgentLoop::AgentLoop(std::shared_ptr<HubClient> hub, Deployer& deployer, Clock& clock,
                     LoopOptions options)
    : hub_(std::move(hub)),
      deployer_(deployer),
      clock_(clock),
      options_(options),
      shared_(std::make_shared<Shared>()) {}

AgentLoop::~AgentLoop() { Stop(); }

void AgentLoop::Stop() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->stop = true;
  }
  shared_->cv.notify_all();
  hub_->CancelWatch();  // the watch thread's long poll ends now, so Run() can join it
}

void AgentLoop::Trigger() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->triggered = true;
  }
  shared_->cv.notify_all();
}

void AgentLoop::Redeploy(const std::string& domain) {
  {
    std::lock_guard lock(shared_->mu);
    shared_->redeploy.push_back(domain);
    shared_->triggered = true;
  }
  shared_->cv.notify_all();
}

int AgentLoop::passes() const {
  std::lock_guard lock(shared_->mu);
  return shared_->passes;
}

bool AgentLoop::Run() {
  {
    std::lock_guard lock(shared_->mu);
    shared_->last_pass = clock_.SteadyNow();
    shared_->next_resync = shared_->last_pass + options_.resync_interval;
    shared_->watch_done = !options_.watch_stream;
  }
  std::thread watch;
  if (options_.watch_stream) {
    watch = std::thread(WatchLoop, hub_, shared_, options_.watch_wait, options_.max_backoff);
  }
  int failures = 0;
  for (;;) {
    WaitForWork(failures);
    std::unique_lock lock(shared_->mu);
    if (shared_->stop) break;
    const bool resync = shared_->resync_due;
    shared_->triggered = shared_->resync_due = false;
    std::vector<std::string> redeploy = std::move(shared_->redeploy);
    shared_->redeploy.clear();
    lock.unlock();
    for (const auto& domain : redeploy) {
      spdlog::info("redeploy requested for {}", domain.empty() ? "every domain" : domain);
      deployer_.Redeploy(domain);
    }
    RunPass(failures, resync);
  }
  // The watch thread owns what it touches; wait briefly, then let its poll finish alone.
  // Real time, not the clock's: this waits for a thread blocked in a real request.
  std::unique_lock lock(shared_->mu);
  const bool done = shared_->cv.wait_for(lock, kStopGrace, [this] { return shared_->watch_done; });
  lock.unlock();
  if (!watch.joinable()) return true;
  if (done) {
    watch.join();
    return true;
  }
  watch.detach();
  return false;
}

// Returns once a pass is due (triggered, resync, retry, or the fallback poll) or on stop.
void AgentLoop::WaitForWork(int failures) {
  std::unique_lock lock(shared_->mu);
  const auto retry_at = clock_.SteadyNow() + RetryDelay(failures, options_.max_backoff);
  while (!shared_->stop && !shared_->triggered) {
    auto wake_at = failures > 0 ? std::min(retry_at, shared_->next_resync) : shared_->next_resync;
    if (shared_->next_attempt) wake_at = std::min(wake_at, *shared_->next_attempt);
    // Look at the other event source's health at least every fallback_interval.
    if (options_.push_connected)
      wake_at = std::min(wake_at, clock_.SteadyNow() + options_.fallback_interval);
    clock_.WaitFor(lock, shared_->cv, std::chrono::ceil<Duration>(wake_at - clock_.SteadyNow()),
                   [this] { return shared_->stop || shared_->triggered; });
    const auto now = clock_.SteadyNow();
    if (options_.push_connected && !options_.push_connected() &&
        now >= shared_->last_pass + options_.fallback_interval) {
      shared_->resync_due = true;  // the event source is down: poll the hub instead
    }
    if (now >= shared_->next_resync) {
      shared_->resync_due = true;
      shared_->next_resync = now + options_.resync_interval;
    }
    if (failures > 0 && now >= retry_at) shared_->triggered = true;
    if (shared_->next_attempt && now >= *shared_->next_attempt) shared_->triggered = true;
    if (shared_->resync_due) shared_->triggered = true;
  }
}

// One pass; an exception inside it (a bug, or input nobody foresaw) is a failed pass,
// retried with backoff, never the end of the agent (the daemon used to abort on it).
Result<PassSummary> AgentLoop::ConvergeOnce() {
  try {
    return deployer_.Converge();
  } catch (const std::exception& e) {
    spdlog::error("pass threw: {}", e.what());
    return Fail(ErrorCode::kInternal, std::string("the pass threw: ") + e.what());
  }
}

void AgentLoop::RunPass(int& failures, bool resync) {
  if (resync) deployer_.ForgetFailures();
  const auto started = clock_.SteadyNow();
  auto pass = ConvergeOnce();
  if (options_.after_pass) {
    options_.after_pass(pass, std::chrono::duration_cast<Duration>(clock_.SteadyNow() - started));
  }
  ::malloc_trim(0);  // an idle agent hands the pass's freed heap (bundles, JSON) back to the OS
  const auto attempt_in = deployer_.UntilNextAttempt();
  std::lock_guard lock(shared_->mu);
  ++shared_->passes;
  shared_->next_attempt.reset();
  // Not after a failed or deferred pass (the hub backoff, the window rule those), and never
  // sooner than kMinAttemptGap, so nothing due that a pass could not act on makes it spin.
  if (attempt_in && pass && !pass->deferred) {
    shared_->next_attempt = clock_.SteadyNow() + std::max(*attempt_in, kMinAttemptGap);
  }
  shared_->last_pass = clock_.SteadyNow();
  if (!pass) {
    ++failures;
    const auto level =
        NeedsOperator(ClassifyHubFailure(pass.error())) ? spdlog::level::err : spdlog::level::warn;
    spdlog::log(level, "{} (retry in {} ms)", DescribeHubFailure(pass.error()),
                RetryDelay(failures, options_.max_backoff).count());
    return;
  }
  if (failures > 0) spdlog::info("hub reachable again");
  failures = pass->incomplete ? 1 : 0;
  shared_->revision = pass->revision;
  shared_->cv.notify_all();  // the watch thread waits for the first revision
  if (pass->deployed + pass->failed + pass->removed + pass->unserved > 0) {
    spdlog::info(
        "pass at revision {}: {} deployed ({} reload-free), {} failed, {} installed but not "
        "served by nginx yet, {} removed, {} reload(s)",
        pass->revision, pass->deployed, pass->deployed_reload_free, pass->failed, pass->unserved,
        pass->removed, pass->reloads);
  }
}

namespace {

// The agent's own deployment reports come back on its watch stream (their subject is its
// machine) but never change what it should deploy: a pass for them would be a no-op
// costing the hub a desired-state read per agent and report (200 agents: 200 extra passes).
bool NeedsPass(const std::vector<std::string>& event_types) {
  return std::any_of(event_types.begin(), event_types.end(), [](const std::string& type) {
    return type != store::events::kDeploymentReported;
  });
}

bool Stopping(AgentLoop::Shared& shared) {
  std::lock_guard lock(shared.mu);
  return shared.stop;
}

// Sleeps up to `d` unless the loop stops; false when it stopped. Real time, not the loop's
// clock: the watch thread may outlive the loop (and a test's clock) by one long poll, and it
// backs off between real requests to the hub.
bool SleepUnlessStopped(AgentLoop::Shared& shared, Duration d) {
  std::unique_lock lock(shared.mu);
  return !shared.cv.wait_for(lock, d, [&] { return shared.stop; });
}

void WatchLoop(std::shared_ptr<HubClient> hub, std::shared_ptr<AgentLoop::Shared> shared,
               std::chrono::seconds wait, Duration max_backoff) {
  Revision since = -1;
  int failures = 0;
  for (;;) {
    {
      std::unique_lock lock(shared->mu);
      shared->cv.wait(lock, [&] { return shared->stop || shared->revision >= 0; });
      if (shared->stop) break;
      if (since < 0) since = shared->revision;
    }
    auto page = hub->Watch(since, wait);
    if (!page && Stopping(*shared)) break;  // cancelled by Stop(): not a hub problem
    if (!page) {
      ++failures;
      if (failures == 1)
        spdlog::warn("watch stream: {} (retrying with backoff)", DescribeHubFailure(page.error()));
      if (!SleepUnlessStopped(*shared, RetryDelay(failures, max_backoff))) break;
      continue;
    }
    failures = 0;
    since = page->revision;
    spdlog::debug("watch: {} event(s) up to revision {}", page->event_types.size(), page->revision);
    std::lock_guard lock(shared->mu);
    if (NeedsPass(page->event_types)) shared->triggered = true;
    for (const auto& domain : page->redeploy) shared->redeploy.push_back(domain);
    shared->cv.notify_all();
  }
  std::lock_guard lock(shared->mu);
  shared->watch_done = true;
  shared->cv.notify_all();
}

}  // namespace

}  // namespace certfleet::agent
