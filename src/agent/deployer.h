// Deployer: one convergence pass — fetch the desired state, reconcile with the disk,
// and carry out the plan safely.
//
// For the certificates to install: fetch each bundle, check it (bundle_check.h), write it
// (CertStore keeps the previous version). Then ONE test command; only if it passes, ONE
// reload (reload_command, or SIGHUP to the PID in reload_signal_pid_file); then a TLS handshake per domain must show the new certificate. Any failure
// rolls the affected files back (and reloads again if nginx had loaded them) and is
// reported to the hub with the error text; successes are reported as deployed.
//
// Not thread-safe: one pass at a time (the AgentLoop calls it from one thread).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "agent/cert_store.h"
#include "agent/config.h"
#include "agent/hub_client.h"
#include "agent/reconciler.h"
#include "common/clock.h"

namespace certfleet::agent {

struct DeployerOptions {
  std::string test_command = "nginx -t";
  std::string reload_command = "nginx -s reload";
  std::string verify_address;  // "" = no TLS check
  Duration verify_timeout = std::chrono::seconds(5);
  Duration command_timeout = std::chrono::seconds(60);
  RemovePolicy remove_policy = RemovePolicy::kKeep;
  std::optional<ReloadWindow> reload_window;
  // Set: reload = SIGHUP to the PID in this file (reload_signal.h), not reload_command.
  std::filesystem::path reload_signal_pid_file;
};

DeployerOptions DeployerOptionsFrom(const AgentConfig& config);

// What one pass did (for logs and tests).
struct PassSummary {
  Revision revision = 0;
  int deployed = 0;
  int failed = 0;
  int removed = 0;
  int reloads = 0;
  bool deferred = false;    // outside the reload window: changes wait
  bool incomplete = false;  // the hub failed mid-pass: retry soon
};

class Deployer {
 public:
  Deployer(HubClient& hub, CertStore& store, Clock& clock, DeployerOptions options);

  // One pass. Returns an error only when the desired state could not be read (hub
  // unreachable, disk unreadable): the caller retries with backoff and the disk stays
  // as it is. Per-certificate failures are reported and counted in the summary.
  Result<PassSummary> Converge();

  // Lets certificates that failed be tried again (called at each periodic resync).
  void ForgetFailures() { memory_.failed.clear(); }

 private:
  struct Change {
    DesiredCertificate desired;
    bool written = false;  // this pass wrote its files (so Rollback applies)
  };

  void Refuse(const std::vector<Refusal>& refusals, PassSummary& summary);
  void RemoveAll(const std::vector<std::string>& domains, PassSummary& summary);
  std::vector<Change> Stage(const std::vector<DesiredCertificate>& install, PassSummary& summary);
  void AddUnserved(const std::vector<DesiredCertificate>& confirm, std::vector<Change>& batch,
                   PassSummary& summary);
  void Activate(std::vector<Change> batch, PassSummary& summary);
  using SteadyTime = std::chrono::steady_clock::time_point;
  // Probes each changed domain (none before `first_probe_at`), reports, rolls back failures.
  void VerifyAll(std::vector<Change> batch, PassSummary& summary, SteadyTime first_probe_at);
  void FailAll(const std::vector<Change>& batch, const std::string& error, PassSummary& summary);
  void RollBack(const std::vector<Change>& batch);
  void Report(const DesiredCertificate& d, DeploymentOutcome outcome, const std::string& error);
  Status Verify(const DesiredCertificate& d, SteadyTime first_probe_at) const;
  Status Reload() const;
  bool InsideWindow() const;

  HubClient& hub_;
  CertStore& store_;
  Clock& clock_;
  DeployerOptions options_;
  AgentMemory memory_;
};

}  // namespace certfleet::agent
