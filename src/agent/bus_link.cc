#include "agent/bus_link.h"

#include <spdlog/spdlog.h>

#include "agent/agent_loop.h"
#include "bus/rabbitmq/rabbitmq_subscriber.h"

namespace certfleet::agent {

BusLink::BusLink(AgentRabbitMq config, std::shared_ptr<HubClient> hub)
    : config_(std::move(config)), hub_(std::move(hub)) {}

BusLink::~BusLink() { Stop(); }

void BusLink::Start(std::function<void(const std::string&)> trigger) {
  trigger_ = std::move(trigger);
  thread_ = std::thread([this] { Run(); });
}

void BusLink::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  live_.store(nullptr);
  if (subscriber_) subscriber_->Stop();  // joins its thread: no trigger call after this
}

bool BusLink::Connected() const {
  const bus::Subscriber* subscriber = live_.load();
  return subscriber != nullptr && subscriber->Connected();
}

bool BusLink::SleepUnlessStopped(Duration d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stopping_; });
}

bool BusLink::LearnMachine() {
  int failures = 0;
  while (config_.machine.empty()) {
    auto state = hub_->GetDesiredState();
    if (state && !state->machine.empty()) {
      config_.machine = state->machine;
      break;
    }
    ++failures;
    if (failures == 1) {
      spdlog::warn("rabbitmq: cannot ask the hub for this agent's machine name yet ({}); retrying",
                   state ? "the answer named no machine" : state.error().message);
    }
    if (!SleepUnlessStopped(RetryDelay(failures, std::chrono::minutes(1)))) return false;
  }
  return true;
}

// Learns the machine name if needed, then hands over to the subscriber's own thread.
void BusLink::Run() {
  if (!LearnMachine()) return;
  bus::rabbitmq::SubscriberOptions options{.machine = config_.machine, .queue = config_.queue};
  auto subscriber = bus::rabbitmq::MakeRabbitMqSubscriber(config_.broker, std::move(options));
  if (!subscriber) {
    spdlog::error("rabbitmq: {}; polling the hub every {} ms instead", subscriber.error().message,
                  config_.fallback_interval.count());
    return;
  }
  std::lock_guard lock(mu_);
  if (stopping_) return;
  spdlog::info("rabbitmq: consuming queue {} (machine {})", (*subscriber)->queue(),
               config_.machine);
  subscriber_ = std::move(*subscriber);
  auto started = subscriber_->Start([this](const bus::Change& change) { trigger_(change.type); });
  if (!started) {
    spdlog::error("rabbitmq: {}; polling the hub instead", started.error().message);
    return;
  }
  live_.store(subscriber_.get());
}

}  // namespace certfleet::agent
