// RabbitMqServer: a private RabbitMQ broker on free loopback ports, for integration
// tests. See ../shared/TESTBED.md ("RabbitMQ 3.10").
//
//   auto broker = RabbitMqServer::Start();
//   ASSERT_TRUE(broker) << broker.error().message;
//   config.url = (*broker)->Url();          // amqp://127.0.0.1:P/ (guest/guest)
//
// Everything lives in a TempDir owned by user rabbitmq (mnesia, logs, pid file); the
// node has its own name, AMQP and distribution ports and its own epmd (ERL_EPMD_PORT),
// so brokers of parallel tests never meet. Management plugin off. Starting takes 3-15 s
// on a busy machine: share one broker per test where possible. Stop by `rabbitmqctl
// stop`, then SIGKILL by PID as a fallback, then `epmd -kill` of our own epmd.
// The destructor prints the broker log when the current test has failed. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::harness {

struct RabbitMqOptions {
  std::chrono::milliseconds start_timeout{120'000};
  // Also listen for amqps:// on tls_port(), with a certificate for "localhost" signed by
  // a private CA (CaFile()).
  bool tls = false;
};

class RabbitMqServer {
 public:
  // Writes the config and starts the broker; returns once it accepts AMQP connections.
  static Result<std::unique_ptr<RabbitMqServer>> Start(RabbitMqOptions options = {});
  ~RabbitMqServer();  // Stop()
  RabbitMqServer(const RabbitMqServer&) = delete;
  RabbitMqServer& operator=(const RabbitMqServer&) = delete;

  std::uint16_t amqp_port() const { return amqp_port_; }
  std::string Url() const;  // "amqp://127.0.0.1:<amqp_port>/"
  std::uint16_t tls_port() const { return tls_port_; }
  std::string TlsUrl() const;  // "amqps://localhost:<tls_port>/" (options.tls only)
  std::string CaFile() const;  // PEM of the CA that signed the broker's TLS certificate

  // For outage tests: stops the broker (data kept) and starts it again on the same
  // ports with the same data (durable queues and persistent messages survive).
  Status StopBroker();
  Status StartBroker();
  bool running() const { return running_; }

  // Runs `rabbitmqctl <args>` against this node (e.g. {"list_queues", "name", "messages"}).
  Result<CommandResult> Ctl(const std::vector<std::string>& args) const;
  // Messages ready in `queue` per `rabbitmqctl list_queues`; -1 if it does not exist.
  Result<long> QueueDepth(const std::string& queue) const;

  // Stops the broker and its epmd. Idempotent; the destructor calls it.
  void Stop();
  std::string Logs() const;

 private:
  RabbitMqServer() : dir_("rabbitmq") {}
  Status Prepare();
  Status MakeTlsFiles();
  std::map<std::string, std::string> Env() const;
  pid_t ReadPid() const;

  RabbitMqOptions options_;
  TempDir dir_;
  std::uint16_t amqp_port_ = 0;
  std::uint16_t dist_port_ = 0;
  std::uint16_t tls_port_ = 0;
  std::uint16_t epmd_port_ = 0;
  bool running_ = false;
};

}  // namespace certfleet::harness
