// BusHubFixture: the wired system for the RabbitMQ tests of issue 5 — a real
// rabbitmq-server (one per test binary), a real certfleet-hub process with [rabbitmq]
// in its config, real certfleet-agent processes consuming their durable queues, and a
// test consumer bound to "certfleet.#" on the test's own exchange.
//
// Every process is started on free loopback ports and stopped by PID. Not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "bus/broker_config.h"
#include "bus/rabbitmq/amqp_connection.h"
#include "harness/rabbitmq_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::bus {

class BusHubFixture : public ::testing::Test {
 protected:
  void SetUp() override;     // the broker (shared), a TempDir, the hub's port, the exchange name
  void TearDown() override;  // logs of the hub and agents when the test failed

  // --- the hub -------------------------------------------------------------------
  // Writes hub.toml with [rabbitmq] url = `url` (default: the broker) and this test's
  // exchange. `extra` goes into the [rabbitmq] table (e.g. "password = \"x\"\n").
  void WriteHubConfig(const std::string& url = "", const std::string& extra = "");
  void StartHub();  // waits for /healthz and reads the admin token
  void KillHub();   // SIGKILL by PID
  std::string HubUrl() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }
  struct Answer {
    long status = 0;
    nlohmann::json body;
  };
  Answer Api(const std::string& method, const std::string& path,
             const nlohmann::json& body = nullptr);
  // Customer "acme", machine `machine`; returns an agent token secret for it.
  std::string AddMachine(const std::string& machine);
  // A manual domain on `machine` (201 asserted).
  void AddDomain(const std::string& domain, const std::string& machine);
  // Uploads a fresh self-signed certificate for `domain`; returns its leaf PEM.
  std::string UploadCertificate(const std::string& domain);
  std::vector<std::string> EventIds();  // every event id in the hub (GET /api/v1/events)

  // --- the agent -----------------------------------------------------------------
  // certfleet-agent with [rabbitmq] (watch stream off, resync and fallback 10m, so only
  // RabbitMQ messages make it converge after its first pass). Returns its output dir.
  std::string StartAgent(const std::string& machine, const std::string& token);
  // True once <out>/live/<domain>/cert.pem holds `leaf_pem`.
  static bool Serves(const std::string& out, const std::string& domain,
                     const std::string& leaf_pem);

  // --- the test consumer -----------------------------------------------------------
  BrokerConfig Config(const std::string& url = "") const;
  void DeclareConsumerQueue();  // durable queue "<exchange>.all" bound to certfleet.#
  // Consumes (acks) until every id in `want` arrived or `timeout`; returns the deliveries.
  std::vector<rabbitmq::Delivery> Consume(const std::set<std::string>& want,
                                          std::chrono::seconds timeout = std::chrono::seconds(120));

  harness::RabbitMqServer* broker_ = nullptr;
  std::unique_ptr<harness::TempDir> dir_;
  std::uint16_t hub_port_ = 0;
  std::string exchange_;
  std::unique_ptr<harness::Subprocess> hub_;
  int hub_starts_ = 0;
  std::string admin_token_;
  std::vector<std::unique_ptr<harness::Subprocess>> agents_;
};

// The event id of a delivery's body ("" when unreadable).
std::string EventIdOf(const rabbitmq::Delivery& delivery);

}  // namespace certfleet::bus
