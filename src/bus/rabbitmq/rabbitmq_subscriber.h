// RabbitMqSubscriber: the agent's Subscriber on RabbitMQ. It declares its own durable
// queue (default "certfleet.agent.<machine>"), binds it to the exchange with its
// machine's key only (MachineRoutingKey), and consumes with manual acks: each message
// is acknowledged after the callback returned. Messages wait in the durable queue while
// the agent is down.
//
// After every successful (re)connect it also calls the callback once with
// Change{.type = "bus.connected"}: the agent converges then, covering anything that
// happened while it was not consuming.
//
// The connection lives on the subscriber's own thread; when it breaks, the thread
// reconnects with backoff and logs once per outage. Contract: see bus/subscriber.h.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bus/broker_config.h"
#include "bus/subscriber.h"

namespace certfleet::bus::rabbitmq {

inline constexpr std::string_view kConnectedChangeType = "bus.connected";

struct SubscriberOptions {
  std::string machine;                    // required: the agent's machine name
  std::string queue;                      // "" → "certfleet.agent.<machine>"
  std::vector<std::string> binding_keys;  // empty → {MachineRoutingKey(machine)}
  std::uint16_t prefetch = 16;
  Duration poll_interval{std::chrono::milliseconds(200)};  // Stop latency while idle
  Duration min_backoff{std::chrono::milliseconds(200)};
  Duration max_backoff{std::chrono::seconds(30)};
};

class AmqpConnection;

class RabbitMqSubscriber final : public Subscriber {
 public:
  RabbitMqSubscriber(BrokerEndpoint endpoint, SubscriberOptions options);
  ~RabbitMqSubscriber() override;

  Status Start(ChangeCallback on_change) override;
  void Stop() override;
  bool Connected() const override;

  const std::string& queue() const { return options_.queue; }

 private:
  void Run();
  Result<std::unique_ptr<AmqpConnection>> Connect();
  // Consumes until the connection breaks (→ its error) or Stop (→ ok).
  Status ConsumeUntilBroken(AmqpConnection& connection);
  bool SleepUnlessStopped(Duration d);  // false when stopping

  BrokerEndpoint endpoint_;
  SubscriberOptions options_;
  ChangeCallback on_change_;
  std::atomic<bool> connected_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// Validates `config` and `options` (machine set, queue name ≤ 255 bytes) and makes a
// subscriber; does not connect.
Result<std::unique_ptr<RabbitMqSubscriber>> MakeRabbitMqSubscriber(const BrokerConfig& config,
                                                                   SubscriberOptions options);

}  // namespace certfleet::bus::rabbitmq
