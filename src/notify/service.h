// Service: the notifier running inside certfleet-hub.
//
//   auto notify_config = notify::ReadNotifyConfig(toml_text, "hub.toml");   // [notify]
//   notify::ApplyNotifyEnvironment(*notify_config, env);
//   notify::ValidateNotifyConfig(*notify_config, "config hub.toml");
//   auto service = notify::Service::Start(store, clock, *notify_config);
//   store.SetCommitListener([&](auto) { (*service)->OnCommit(); });   // react at once
//   ...
//   Status s = (*service)->SendTest("ops-chat");   // `certfleet notify test ops-chat`
//   (*service)->Stop();
//
// Threads: one dispatcher (outbox events → queued notices; expiry and agent scans every
// scan_interval) and one worker per channel (queue → receiver, with retries). A channel
// whose receiver is down or hangs delays only its own worker; the dispatcher and the
// issuance pipeline never wait for a receiver.
//
// Run it in ONE hub process per store, or give every hub the same leader predicate
// (ServiceOptions::is_leader): two services that both act would both deliver.
//
// Thread safety: Wake, SendTest, SendTestAsync and Stop are safe from any thread. Stop
// waits for deliveries in flight (at most the channel's timeout each).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "notify/channel_config.h"
#include "notify/channel_worker.h"
#include "notify/dispatcher.h"
#include "notify/notifier_factory.h"
#include "store/store.h"

namespace certfleet::notify {

struct ServiceOptions {
  Duration poll_interval{std::chrono::seconds(1)};   // queue/outbox polling (real time)
  Duration scan_interval{std::chrono::minutes(15)};  // expiry and agent scans (clock time)
  RetryPolicy retry;
  std::int64_t batch_limit = 500;  // notifications per message at most
  DispatcherOptions dispatcher;
  NotifierFactory make_notifier = MakeNotifier;  // tests inject fakes
  // Several hubs on one database: dispatch, scan and deliver only while this returns true
  // (the hub holds the store's leader lock, store/leader_lock.h); SendTest works on every
  // hub. Unset: always (one hub).
  std::function<bool()> is_leader;
};

class Service {
 public:
  // Builds every channel's notifier (errors name the channel) and starts the threads.
  // `store` and `clock` must outlive the service.
  static Result<std::unique_ptr<Service>> Start(store::Store& store, Clock& clock,
                                                NotifyConfig config, ServiceOptions options = {});
  ~Service();  // Stop()s
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Look at the outbox and the queues now instead of at the next poll (e.g. from the
  // hub's commit listener, or after a test moved a FakeClock).
  void Wake();

  // The store committed events (its commit listener): the dispatcher looks now; channel
  // workers are woken only when that queued something. Cheap, never blocks on the store.
  void OnCommit();

  // Sends a test message to `channel` synchronously, bypassing the queue. kNotFound for
  // an unknown channel ("no notification channel \"x\"; configured: a, b"); otherwise the
  // delivery outcome.
  Status SendTest(std::string_view channel);

  // SendTest without blocking the caller (the hub's io threads): the delivery runs on a
  // thread of its own, which calls `done` with the outcome. Returns an error instead (and
  // never calls `done`) when the test cannot start: kNotFound for an unknown channel (as
  // SendTest), kUnavailable after Stop or with kMaxTestsInFlight tests already running.
  // Stop waits for running tests.
  static constexpr std::size_t kMaxTestsInFlight = 4;
  Status SendTestAsync(std::string_view channel, std::function<void(Status)> done);

  // The configuration the service runs with (channels, thresholds). Immutable.
  const NotifyConfig& config() const { return config_; }

  void Stop();

 private:
  struct Channel {
    ChannelConfig config;
    std::unique_ptr<Notifier> notifier;
    std::unique_ptr<ChannelWorker> worker;
  };

  Service(store::Store& store, Clock& clock, NotifyConfig config, ServiceOptions options);
  void RunDispatcher();
  void RunChannel(Channel& channel);
  Channel* FindChannel(std::string_view name);
  bool Leading() const;
  Error UnknownChannel(std::string_view name) const;
  // Joins finished test threads (caller holds mu_'s lock for tests_ access).
  void ReapTestsLocked();

  struct TestRun {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  // Waits until `generation` moved past `seen` (a wake since this thread last looked),
  // Stop, or poll_interval; then records it in `seen`. Returns false once stopping.
  bool WaitForWork(const std::uint64_t& generation, std::uint64_t& seen);

  store::Store& store_;
  Clock& clock_;
  NotifyConfig config_;
  ServiceOptions options_;
  Dispatcher dispatcher_;
  std::vector<std::unique_ptr<Channel>> channels_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t dispatch_generation_ = 0;  // guarded by mu_; bumped to wake the dispatcher
  std::uint64_t deliver_generation_ = 0;   // guarded by mu_; bumped to wake channel workers
  std::vector<std::thread> threads_;
  std::vector<TestRun> tests_;  // guarded by mu_
};

}  // namespace certfleet::notify
