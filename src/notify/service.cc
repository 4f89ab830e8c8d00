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
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Service::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wake_generation_;
  }
  cv_.notify_all();
}

bool Service::WaitForWork() {
  std::unique_lock lock(mu_);
  const std::uint64_t seen = wake_generation_;
  cv_.wait_for(lock, options_.poll_interval, [&] { return stopping_ || wake_generation_ != seen; });
  return !stopping_;
}

Status Service::SendTest(std::string_view name) {
  for (auto& channel : channels_) {
    if (channel->config.name == name) {
      return SendTestMessage(*channel->notifier, channel->config, clock_);
    }
  }
  std::string configured;
  for (const auto& channel : channels_) {
    configured += (configured.empty() ? "" : ", ") + channel->config.name;
  }
  return Fail(ErrorCode::kNotFound,
              "no notification channel \"" + std::string(name) +
                  "\"; configured: " + (configured.empty() ? "none" : configured));
}

void Service::RunDispatcher() {
  std::optional<TimePoint> last_scan;
  do {
    try {
      for (;;) {
        auto n = dispatcher_.ProcessEvents();
        if (!n) spdlog::error("{}", n.error().message);
        if (!n || *n == 0) break;
      }
      const TimePoint now = clock_.Now();
      if (!last_scan || now - *last_scan >= options_.scan_interval) {
        if (auto s = dispatcher_.RunScans(); !s) spdlog::error("{}", s.error().message);
        last_scan = now;
      }
    } catch (const std::exception& e) {
      spdlog::error("notify dispatcher threw: {}", e.what());
    }
  } while (WaitForWork());
}

void Service::RunChannel(Channel& channel) {
  do {
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
  } while (WaitForWork());
}

}  // namespace certfleet::notify
