// Deployer: one convergence pass — fetch the desired state, reconcile with the disk,
// and carry out the plan safely.
//
// For the certificates to install: fetch each bundle, check it (bundle_check.h), write it
// (CertStore keeps the previous version). Then, per domain, one of two ways to nginx:
//  - reload-free (options.reload_free, docs/nginx.md "Reload-free"): the atomic swap of
//    bundle.pem is the deployment. One TLS handshake must then show the new certificate;
//    if it does not (a server block with fixed paths, or a wildcard nginx has not learnt
//    from the map yet), the domain takes the other way in the same pass.
//  - test + reload: ONE test command for all; only if it passes, ONE reload
//    (reload_command, or SIGHUP to the PID in reload_signal_pid_file); then handshakes per
//    domain must show the new certificate.
// The way each domain took is logged and counted (PassSummary).
//
// After the reload, a domain nginx still does not serve is handled by what it served
// (docs/design/2026-12-06-adoption-without-a-gap.md):
//  - the version these files held before this install: nginx reads our files but did not
//    take the new ones (the reload did not happen, an old worker never left) → roll back
//    (reload again), report failed;
//  - anything else: nginx does not read our files for this name, so rolling them back
//    could change nothing it serves → keep the files, report "pending" ("installed, not
//    served by nginx yet") and probe again with backoff, without reloading. The message
//    says which: a certificate that covers the name comes from a server block that names
//    other files (a site being adopted: "point its ssl_certificate lines at …"); another
//    site's certificate or no TLS means no block for the name ("add a server block …").
//    The operator's edit (and reload) is found by the next probe.
// A failed certificate is retried with backoff (reconciler.h: NextAttempt), not only at
// the periodic resync; Redeploy() makes the next pass try everything again at once.
//
// Not thread-safe: one pass at a time (the AgentLoop calls it from one thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agent/cert_store.h"
#include "agent/config.h"
#include "agent/hub_client.h"
#include "agent/live_verifier.h"
#include "agent/reconciler.h"
#include "agent/reload_free_files.h"
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
  // Reload-free mode: the CertStore writes bundle.pem and `reload_free_files` is set.
  bool reload_free = false;
  // First delays of the backoffs (reconciler.h; tests shorten them).
  Duration first_retry = kFirstRetry;  // a failed certificate
  Duration first_probe = kFirstProbe;  // an install nginx did not serve yet
};

DeployerOptions DeployerOptionsFrom(const AgentConfig& config);

// What one pass did (for logs and tests).
struct PassSummary {
  Revision revision = 0;
  int deployed = 0;
  int deployed_reload_free = 0;  // of `deployed`: served by the swap alone
  int failed = 0;
  int unserved = 0;  // installed, reported "not served by nginx yet"
  int removed = 0;
  int reloads = 0;
  bool deferred = false;    // outside the reload window: changes wait
  bool incomplete = false;  // the hub failed mid-pass: retry soon
};

class Deployer {
 public:
  // `reload_free_files` is required with options.reload_free, else ignored (may be null).
  Deployer(HubClient& hub, CertStore& store, Clock& clock, DeployerOptions options,
           ReloadFreeFiles* reload_free_files = nullptr);

  // One pass. Returns an error only when the desired state could not be read (hub
  // unreachable, disk unreadable): the caller retries with backoff and the disk stays
  // as it is. Per-certificate failures are reported and counted in the summary.
  Result<PassSummary> Converge();

  // At each periodic resync: failed certificates are tried again at the next pass.
  void ForgetFailures();
  // Support's redeploy request (machine.redeploy_requested): the next pass treats `domain`
  // ("" = every domain) as never attempted — installs what is missing, verifies what is on
  // disk (test + reload when nginx does not serve it) and reports afresh.
  void Redeploy(const std::string& domain);
  // How long until a failed certificate or an unserved install is due for another attempt
  // (zero when one is due now); nullopt when none waits.
  std::optional<Duration> UntilNextAttempt() const;

 private:
  enum class Way { kReloadFree, kReload };
  struct Change {
    DesiredCertificate desired;
    bool written = false;         // this pass wrote its files (so Rollback applies)
    bool tried_swap = false;      // the reload-free handshake did not show it
    std::string replaced_sha256;  // written: the leaf the files held before ("" = none)
  };

  void Refuse(const std::vector<Refusal>& refusals, PassSummary& summary);
  void RemoveAll(const std::vector<std::string>& domains, PassSummary& summary);
  std::vector<Change> Stage(const std::vector<DesiredCertificate>& install,
                            const Inventory& on_disk, PassSummary& summary);
  void AddUnserved(const std::vector<DesiredCertificate>& confirm, std::vector<Change>& batch,
                   PassSummary& summary);
  void ProbeUnserved(const std::vector<DesiredCertificate>& probe, PassSummary& summary);
  // Reload-free: the names' links and the map; keeps in `batch` what still needs a reload.
  void ServeBySwap(const DesiredState& desired, std::vector<Change>& batch, PassSummary& summary);
  Status SyncReloadFreeFiles(const DesiredState& desired, std::set<std::string>* added);
  void Activate(std::vector<Change> batch, PassSummary& summary);
  using SteadyTime = std::chrono::steady_clock::time_point;
  // Probes each changed domain (none before `first_probe_at`), reports, rolls back failures.
  void VerifyAll(std::vector<Change> batch, PassSummary& summary, SteadyTime first_probe_at);
  void Deployed(const Change& change, Way way, PassSummary& summary);
  void NotServedYet(const DesiredCertificate& d, const ServeCheck& check, PassSummary& summary);
  void FailAll(const std::vector<Change>& batch, const std::string& error, PassSummary& summary);
  void RollBack(const std::vector<Change>& batch);
  void Report(const DesiredCertificate& d, DeploymentOutcome outcome, const std::string& error);
  ServeCheck Verify(const DesiredCertificate& d, SteadyTime first_probe_at) const;
  Status Reload() const;
  // After a reload: until no nginx worker older than `reload_ticks` (BootTicksNow() before
  // the reload) accepts on the verify port, at most verify_timeout (agent/old_workers.h).
  // True when old workers were seen and all of them stopped accepting (the reload is done).
  bool WaitForOldWorkers(std::uint64_t reload_ticks) const;
  bool InsideWindow() const;

  HubClient& hub_;
  CertStore& store_;
  Clock& clock_;
  DeployerOptions options_;
  ReloadFreeFiles* reload_free_files_;
  AgentMemory memory_;
  std::set<std::string> needs_reload_;      // reload-free: a swap alone did not reach nginx
  bool links_synced_ = false;               // reload-free files checked since the start
  crypto::CertificateCache intermediates_;  // the CA's intermediates, parsed once
};

}  // namespace certfleet::agent
