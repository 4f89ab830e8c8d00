// BusLink: the agent's RabbitMQ consumer (bus::rabbitmq::RabbitMqSubscriber) wired to its
// convergence loop: every message on the agent's durable queue, and every (re)connect,
// calls `trigger` with the message's event type ("" for a reconnect). Messages are acknowledged after `trigger`
// returned, i.e. once the loop has taken note; the pass itself fetches the desired state
// over the hub API, so a message never carries anything the agent deploys.
//
// Without a configured machine name, a thread first asks the hub for the token's machine
// (GetDesiredState), retrying with backoff while the hub is unreachable; the subscriber
// then reconnects by itself with backoff whenever the broker is down. Meanwhile
// Connected() is false and the loop polls the hub every fallback_interval.
//
// Thread safety: Start once; Stop is idempotent and safe from any thread and returns
// after every thread exited and no `trigger` call is running. Connected() is cheap (an
// atomic load) and safe from any thread. `hub` is shared with the loop (HubClient calls
// are thread-safe).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "agent/config.h"
#include "agent/hub_client.h"
#include "bus/subscriber.h"

namespace certfleet::agent {

class BusLink {
 public:
  // `config` must be validated (ValidateAgentConfig).
  BusLink(AgentRabbitMq config, std::shared_ptr<HubClient> hub);
  ~BusLink();  // Stop()
  BusLink(const BusLink&) = delete;
  BusLink& operator=(const BusLink&) = delete;

  // Returns at once; connecting happens on background threads.
  void Start(std::function<void(const std::string& event_type)> trigger);
  void Stop();
  bool Connected() const;

 private:
  void Run();
  bool LearnMachine();  // false when stopped first
  bool SleepUnlessStopped(Duration d);

  AgentRabbitMq config_;
  std::shared_ptr<HubClient> hub_;
  std::function<void(const std::string&)> trigger_;
  std::unique_ptr<bus::Subscriber> subscriber_;  // set once on the thread, read after join
  std::atomic<bus::Subscriber*> live_{nullptr};  // subscriber_ for Connected()
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace certfleet::agent
