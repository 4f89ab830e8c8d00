// PipelineFixture: the whole certfleet pipeline as real processes on free loopback ports.
//
//   Pebble (ACME CA; its HTTP-01 requests go to nginx's plain-HTTP port)
//   nginx  (plain HTTP: /.well-known/acme-challenge/ proxied to the hub;
//           TLS: a placeholder default server + sites/*.conf, one server per domain that
//           reads the agent's live/<domain>/ files, loaded at the agent's reload)
//   certfleet-hub (SQLite in a TempDir, one issuer "pebble")
//   certfleet-agent and the certfleet CLI, started on demand.
//
// Every process is owned by a harness object and stopped by PID when the fixture ends.
// Waiting is by polling (no fixed sleeps). Not thread-safe: use from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/http_client.h"
#include "harness/nginx_server.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::e2e {

class PipelineFixture : public ::testing::Test {
 protected:
  void SetUp() override;     // Pebble, nginx, hub (asserts each came up)
  void TearDown() override;  // prints the hub's and agents' logs when the test failed

  // --- the hub ---------------------------------------------------------------------
  // Starts certfleet-hub on hub_port_ with the data dir and config of this fixture (also
  // after a kill: same port, same data), waits for /healthz and reads admin.token.
  void StartHub();
  void KillHub();  // SIGKILL by PID, then reaped
  std::string HubUrl() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }

  // GET/POST on the hub's API with `token` (admin by default); body parsed as JSON when
  // possible. The status is in `status`.
  struct ApiAnswer {
    long status = 0;
    nlohmann::json body;
  };
  ApiAnswer Api(const std::string& method, const std::string& path, const std::string& token = "");
  nlohmann::json ShowDomain(const std::string& name);  // GET /api/v1/domains/{name}; asserts 200

  // Polls `domain show` every few ms until `done(view)` or `timeout`; returns the last view
  // and records in `*ok` whether `done` was reached.
  nlohmann::json WaitForDomain(const std::string& name,
                               const std::function<bool(const nlohmann::json&)>& done,
                               std::chrono::milliseconds timeout, bool* ok);

  // --- the CLI -----------------------------------------------------------------------
  // Runs `certfleet --hub URL --token ADMIN args...`; asserts exit 0 (via ADD_FAILURE) and
  // returns stdout + stderr.
  std::string Cli(const std::vector<std::string>& args);
  // customer "acme", machine `machine` (if new) and an agent token for it (its secret).
  std::string AgentTokenFor(const std::string& machine);
  // The customer's nginx site for `domain`, reading `out`/live/<domain>/ (see header comment).
  void AddNginxSite(const std::string& domain, const std::string& out);

  // --- the agent ---------------------------------------------------------------------
  // Writes an agent config (hub, token, output dir, nginx -t / -s reload of our nginx,
  // verify_address = nginx's TLS port) and returns its path.
  std::string WriteAgentConfig(const std::string& name, const std::string& token,
                               const std::string& out);
  std::unique_ptr<harness::Subprocess> StartAgent(const std::string& config_path);

  // --- nginx -------------------------------------------------------------------------
  // lower-case hex SHA-256 of the leaf nginx presents for `server_name` (SNI) on the TLS
  // port, from an `openssl s_client` handshake; "" when no handshake succeeded.
  std::string ServedSha256(const std::string& server_name);
  // SIGSTOP / SIGCONT nginx's master and workers: Pebble's validation request then waits
  // in the socket backlog, which holds an order mid-way without failing it.
  void FreezeNginx();
  void ThawNginx();

  std::unique_ptr<harness::TempDir> dir_;
  std::uint16_t http_port_ = 0;  // nginx plain HTTP = Pebble's HTTP-01 port
  std::uint16_t tls_port_ = 0;   // nginx TLS
  std::uint16_t hub_port_ = 0;
  // Knobs for Pebble, set by a subclass's constructor (http_port is the fixture's).
  harness::PebbleOptions pebble_options_;
  // TOML appended to the hub config by a subclass's constructor (e.g. an [issuance] table).
  std::string hub_config_extra_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<harness::NginxServer> nginx_;
  std::unique_ptr<harness::Subprocess> hub_;
  int hub_starts_ = 0;
  std::string admin_token_;
  std::vector<std::string> agent_logs_;
  harness::HttpClient http_;

 private:
  void WritePlaceholderCertificate();
  void WriteHubConfig();
  void SignalNginx(int signal);
};

// True when the domain view says valid and carries a current certificate.
bool IsValidWithCertificate(const nlohmann::json& view);

}  // namespace certfleet::e2e
