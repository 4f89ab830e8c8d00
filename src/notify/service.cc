#include "notify/service.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace certfleet::notify {

Result<std::unique_ptr<Service>> Service::Start(store::Store& store, Clock& clock,
                                                NotifyConfig config, ServiceOptions options) {
  std::unique_ptr<Service> service(
      new Service(store, clock, std::move(config), std::move(options)));
  for (const auto& channel_config : service->config_.channels) {
    auto channel = std::make_unique<Channel>();
    channel->config = channel_config;
    auto notifier = service->options_.make_notifier(channel->config, clock);
    if (!notifier)
      return Fail(notifier.error().WithContext("notify channel " + channel_config.name));
    channel->notifier = std::move(*notifier);
    channel->worker =
        std::make_unique<ChannelWorker>(store, clock, channel->config, *channel->notifier,
                                        service->options_.retry, service->options_.batch_limit);
    service->channels_.push_back(std::move(channel));
  }
  service->threads_.emplace_back([s = service.get()] { s->RunDispatcher(); });
  for (auto& channel : service->channels_) {
    service->threads_.emplace_back([s = service.get(), c = channel.get()] { s->RunChannel(*c); });
  }
  return service;
}

Service::Service(store::Store& store, Clock& clock, NotifyConfig config, ServiceOptions options)
    : store_(store),
      clock_(clock),
      config_(std::move(config)),
      options_(std::move(options)),
      dispatcher_(store_, clock_, config_, options_.dispatcher) {}

Service::~Service() { Stop(); }

void Service::Stop() {
  std::vector<TestRun> tests;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    tests.swap(tests_);
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  for (auto& t : tests) {
    if (t.thread.joinable()) t.thread.join();
  }
}

void Service::Wake() {
  {
    std::lock_guard lock(mu_);
    ++dispatch_generation_;
    ++deliver_generation_;
  }
  cv_.notify_all();
}

void Service::OnCommit() {
  {
    std::lock_guard lock(mu_);
    ++dispatch_generation_;
  }
  cv_.notify_all();
}

bool Service::WaitForWork(const std::uint64_t& generation, std::uint64_t& seen) {
  std::unique_lock lock(mu_);
  clock_.WaitFor(lock, cv_, options_.poll_interval,
                 [&] { return stopping_ || generation != seen; });
  seen = generation;
  return !stopping_;
}

Service::Channel* Service::FindChannel(std::string_view name) {
  for (auto& channel : channels_) {
    if (channel->config.name == name) return channel.get();
  }
  return nullptr;
}

Error Service::UnknownChannel(std::string_view name) const {
  std::string configured;
  for (const auto& channel : channels_) {
    configured += (configured.empty() ? "" : ", ") + channel->config.name;
  }
  return Error{ErrorCode::kNotFound,
               "no notification channel \"" + std::string(name) +
                   "\"; configured: " + (configured.empty() ? "none" : configured)};
}

Status Service::SendTest(std::string_view name) {
  Channel* channel = FindChannel(name);
  if (channel == nullptr) return Fail(UnknownChannel(name));
  return SendTestMessage(*channel->notifier, channel->config, clock_);
}

void Service::ReapTestsLocked() {
  for (auto it = tests_.begin(); it != tests_.end();) {
    if (it->finished->load()) {
      it->thread.join();  // finished: returns at once
      it = tests_.erase(it);
    } else {
      ++it;
    }
  }
}

Status Service::SendTestAsync(std::string_view name, std::function<void(Status)> done) {
  Channel* channel = FindChannel(name);
  if (channel == nullptr) return Fail(UnknownChannel(name));
  std::lock_guard lock(mu_);
  ReapTestsLocked();
  if (stopping_) return Fail(ErrorCode::kUnavailable, "the notifier is stopping");
  if (tests_.size() >= kMaxTestsInFlight) {
    return Fail(ErrorCode::kUnavailable,
                std::to_string(kMaxTestsInFlight) +
                    " notification tests are already running; try again in a moment");
  }
  auto finished = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([this, channel, finished, done = std::move(done)] {
    Status outcome = SendTestMessage(*channel->notifier, channel->config, clock_);
    try {
      done(std::move(outcome));
    } catch (const std::exception& e) {
      spdlog::error("notify test of channel {}: callback threw: {}", channel->config.name,
                    e.what());
    }
    finished->store(true);
  });
  tests_.push_back({std::move(thread), std::move(finished)});
  return Ok();
}

bool Service::Leading() const { return !options_.is_leader || options_.is_leader(); }

void Service::RunDispatcher() {
  std::optional<TimePoint> last_scan;
  std::uint64_t seen = 0;
  do {
    if (!Leading()) continue;  // another hub dispatches and scans
    try {
      bool queued = false;  // something may have become due for the channels
      for (;;) {
        auto n = dispatcher_.ProcessEvents();
        if (!n) spdlog::error("{}", n.error().message);
        if (!n || *n == 0) break;
        queued = true;
      }
      const TimePoint now = clock_.Now();
      if (!last_scan || now - *last_scan >= options_.scan_interval) {
        last_scan = now;  // before: a scan that fails (or throws) waits its interval too
        auto added = dispatcher_.RunScans();
        if (!added) spdlog::error("{}", added.error().message);
        queued = queued || (added && *added > 0);
      }
      // Channels with no group window deliver now rather than at their next poll.
      if (queued) {
        {
          std::lock_guard lock(mu_);
          ++deliver_generation_;
        }
        cv_.notify_all();
      }
    } catch (const std::exception& e) {
      spdlog::error("notify dispatcher threw: {}", e.what());
    }
  } while (WaitForWork(dispatch_generation_, seen));
}

void Service::RunChannel(Channel& channel) {
  std::uint64_t seen = 0;
  do {
    if (!Leading()) continue;  // another hub delivers
    try {
      for (;;) {
        auto pass = channel.worker->RunOnce();
        if (!pass)
          spdlog::error("notify channel {}: {}", channel.config.name, pass.error().message);
        if (!pass || pass->delivered == 0) break;
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
    } catch (const std::exception& e) {
      spdlog::error("notify channel {} threw: {}", channel.config.name, e.what());
    }
  } while (WaitForWork(deliver_generation_, seen));
}

}  // namespace certfleet::notify
