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
// on a busy machine: share one broker per test where possible.
//
// The node runs in the foreground as our child (`rabbitmq-server`, not `-detached`), its
// output in node.log: a node that dies while booting is seen at once, with its reason.
// The ports are free when chosen, not reserved: another server can bind one before the
// node does (issue 13: a node halted in prelaunch with {dist_port_already_used, P,
// not_erlang}, before writing a log or its pid file, and `rabbitmqctl wait` waited 120 s
// for the pid file). A node that exits because a port was taken is started again on
// fresh ports (the AMQP/TLS ports stay once clients know them: a restart changes only the
// distribution port). Stop by `rabbitmqctl stop`, then SIGKILL by PID as a fallback, then
// `epmd -kill` of our own epmd.
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
  // The first start's Erlang distribution port (0: a free one). For the test of a port
  // taken before the node binds it (the node is then started again on fresh ports).
  std::uint16_t dist_port = 0;
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
  // Picks the node's ports (`client_ports`: also AMQP and TLS) and writes rabbitmq.conf.
  void ChoosePorts(bool client_ports);
  // One start of the node; kAlreadyExists when it exited because a port was taken.
  Status StartNode();
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
  bool started_once_ = false;         // clients may know the AMQP/TLS ports
  std::unique_ptr<Subprocess> node_;  // rabbitmq-server in the foreground (su → sh → erl)
};

}  // namespace certfleet::harness
