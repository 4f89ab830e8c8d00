#include "agent/deployer.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "agent/bundle_check.h"
#include "agent/live_verifier.h"
#include "agent/reload_signal.h"
#include "agent/shell_command.h"

namespace certfleet::agent {
namespace {

// A certificate already served needs no reload; one probe is enough to tell.
constexpr auto kConfirmProbeTimeout = std::chrono::seconds(1);

// Milliseconds from `start` to `end` (default: now), for the debug log's per-step timings.
double MillisSince(std::chrono::steady_clock::time_point start,
                   std::chrono::steady_clock::time_point end = std::chrono::steady_clock::now()) {
  return std::chrono::duration<double, std::milli>(end - start).count();
}

int LocalMinuteOfDay(TimePoint t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  ::localtime_r(&tt, &local);
  return local.tm_hour * 60 + local.tm_min;
}

}  // namespace

DeployerOptions DeployerOptionsFrom(const AgentConfig& c) {
  return DeployerOptions{c.test_command,   c.reload_command,        c.verify_address,
                         c.verify_timeout, c.command_timeout,       c.remove_policy,
                         c.reload_window,  c.reload_signal_pid_file};
}

Deployer::Deployer(HubClient& hub, CertStore& store, Clock& clock, DeployerOptions options)
    : hub_(hub), store_(store), clock_(clock), options_(std::move(options)) {}

Result<PassSummary> Deployer::Converge() {
  const auto start = std::chrono::steady_clock::now();
  auto desired = hub_.GetDesiredState();
  if (!desired) return Fail(desired.error().WithContext("fetching the desired state from the hub"));
  spdlog::debug("pass: desired state (revision {}) read in {:.1f} ms", desired->revision,
                MillisSince(start));
  auto inventory = store_.ReadInventory();
  if (!inventory) return Fail(inventory.error().WithContext("reading what is on disk"));
  const Plan plan = Reconcile(*desired, *inventory, memory_, options_.remove_policy);
  PassSummary summary;
  summary.revision = desired->revision;
  Refuse(plan.refuse, summary);
  RemoveAll(plan.remove, summary);
  if (plan.install.empty() && plan.confirm.empty()) return summary;
  if (!InsideWindow()) {
    spdlog::info("{} certificate(s) to deploy wait for the reload window",
                 plan.install.size() + plan.confirm.size());
    summary.deferred = true;
    return summary;
  }
  std::vector<Change> batch = Stage(plan.install, summary);
  spdlog::debug("pass: {} certificate(s) fetched, checked and installed at {:.1f} ms", batch.size(),
                MillisSince(start));
  AddUnserved(plan.confirm, batch, summary);
  if (!batch.empty()) Activate(std::move(batch), summary);
  return summary;
}

bool Deployer::InsideWindow() const {
  return InsideReloadWindow(options_.reload_window, LocalMinuteOfDay(clock_.Now()));
}

void Deployer::Refuse(const std::vector<Refusal>& refusals, PassSummary& summary) {
  for (const auto& r : refusals) {
    spdlog::error("refusing \"{}\": {}", r.domain, r.reason);
    memory_.failed[r.domain] = r.sha256;
    ++summary.failed;
    if (!r.certificate_id) continue;
    DeploymentReport report{*r.certificate_id, r.domain, DeploymentOutcome::kFailed, r.sha256,
                            r.reason};
    if (auto s = hub_.ReportDeployment(report); !s)
      spdlog::warn("cannot report the refusal: {}", s.error().message);
  }
}

void Deployer::RemoveAll(const std::vector<std::string>& domains, PassSummary& summary) {
  for (const auto& domain : domains) {
    if (auto s = store_.Remove(domain); !s) {
      spdlog::error("{}: cannot remove its files: {}", domain, s.error().message);
      continue;
    }
    spdlog::info("{}: removed (the hub no longer lists it for this machine)", domain);
    memory_.reported.erase(domain);
    ++summary.removed;
  }
}

std::vector<Deployer::Change> Deployer::Stage(const std::vector<DesiredCertificate>& install,
                                              PassSummary& summary) {
  std::vector<Change> batch;
  for (const auto& d : install) {
    auto bundle = hub_.GetCertificate(*d.certificate_id);
    if (!bundle && bundle.error().code == ErrorCode::kUnavailable) {
      spdlog::warn("{}: cannot fetch certificate {} (will retry): {}", d.domain, *d.certificate_id,
                   bundle.error().message);
      summary.incomplete = true;
      continue;
    }
    const auto fetched = std::chrono::steady_clock::now();
    Result<PemFiles> files = bundle ? PrepareFiles(*bundle, d, clock_.Now()) : Fail(bundle.error());
    const auto checked = std::chrono::steady_clock::now();
    Status written = files ? store_.Install(d.domain, *files, {d.sha256, d.certificate_id},
                                            CertStore::Durability::kVisible)
                           : Fail(files.error());
    spdlog::debug("{}: checked in {:.1f} ms, installed in {:.1f} ms", d.domain,
                  MillisSince(fetched, checked), MillisSince(checked));
    if (!written) {
      FailAll({Change{d, false}}, written.error().message, summary);
      continue;
    }
    batch.push_back(Change{d, true});
  }
  return batch;
}

void Deployer::AddUnserved(const std::vector<DesiredCertificate>& confirm,
                           std::vector<Change>& batch, PassSummary& summary) {
  for (const auto& d : confirm) {
    if (!options_.verify_address.empty()) {
      auto served =
          FetchServedSha256(options_.verify_address, ProbeName(d.domain), kConfirmProbeTimeout);
      if (served && *served == d.sha256) {
        Report(d, DeploymentOutcome::kDeployed, "");
        ++summary.deployed;
        continue;
      }
    }
    // On disk but not (provably) served: e.g. a crash between write and reload.
    batch.push_back(Change{d, false});
  }
}

void Deployer::Activate(std::vector<Change> batch, PassSummary& summary) {
  const auto start = std::chrono::steady_clock::now();
  if (auto tested = RunCheckedCommand(options_.test_command, options_.command_timeout); !tested) {
    RollBack(batch);
    FailAll(batch,
            "test command failed, nothing reloaded, files rolled back: " + tested.error().message,
            summary);
    return;
  }
  const auto tested_at = std::chrono::steady_clock::now();
  spdlog::debug("activate: test command passed in {:.1f} ms", MillisSince(start));
  if (auto reloaded = Reload(); !reloaded) {
    RollBack(batch);
    (void)Reload();
    FailAll(batch, "reload failed, files rolled back: " + reloaded.error().message, summary);
    return;
  }
  spdlog::debug("activate: test command passed and reload done in {:.1f} ms", MillisSince(start));
  ++summary.reloads;
  // A reload re-reads the configuration as the test command just did, so the server
  // cannot present the new certificate sooner than that took: probing earlier only
  // competes with the reload for CPU (issue 4: nginx's single worker, two cores).
  const auto settle = std::min(std::chrono::duration_cast<Duration>(tested_at - start),
                               options_.verify_timeout / 4);
  VerifyAll(std::move(batch), summary, std::chrono::steady_clock::now() + settle);
  spdlog::debug("activate: verified and reported {:.1f} ms after the test command started",
                MillisSince(start));
}

void Deployer::VerifyAll(std::vector<Change> batch, PassSummary& summary,
                         SteadyTime first_probe_at) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<Change> bad;
  std::vector<std::string> errors;
  for (auto& change : batch) {
    // The install's last syncs run while the server reloads (before the first probe).
    Status s = change.written ? store_.Commit(change.desired.domain) : Ok();
    if (s) s = Verify(change.desired, first_probe_at);
    if (!s) {
      bad.push_back(change);
      errors.push_back(s.error().message);
      continue;
    }
    spdlog::info("{}: certificate {} deployed and served", change.desired.domain,
                 *change.desired.certificate_id);
    spdlog::debug("{}: served after {:.1f} ms", change.desired.domain, MillisSince(start));
    Report(change.desired, DeploymentOutcome::kDeployed, "");
    ++summary.deployed;
  }
  if (bad.empty()) return;
  RollBack(bad);
  if (auto again = Reload(); again) ++summary.reloads;
  for (size_t i = 0; i < bad.size(); ++i) {
    FailAll({bad[i]}, "not served after reload, rolled back: " + errors[i], summary);
  }
}

Status Deployer::Verify(const DesiredCertificate& d, SteadyTime first_probe_at) const {
  if (options_.verify_address.empty()) return Ok();
  const auto wait = std::max(Duration(0), std::chrono::duration_cast<Duration>(
                                              first_probe_at - std::chrono::steady_clock::now()));
  return WaitUntilServed(options_.verify_address, ProbeName(d.domain), d.sha256,
                         options_.verify_timeout, wait);
}

Status Deployer::Reload() const {
  if (options_.reload_signal_pid_file.empty())
    return RunCheckedCommand(options_.reload_command, options_.command_timeout);
  auto signalled = SignalPidFile(options_.reload_signal_pid_file, SIGHUP);
  if (!signalled) return Fail(signalled.error().WithContext("reload by SIGHUP"));
  return Ok();
}

void Deployer::RollBack(const std::vector<Change>& batch) {
  for (const auto& change : batch) {
    if (!change.written) continue;
    if (auto s = store_.Rollback(change.desired.domain); !s) {
      spdlog::error("{}: rollback failed: {}", change.desired.domain, s.error().message);
    }
  }
}

void Deployer::FailAll(const std::vector<Change>& batch, const std::string& error,
                       PassSummary& summary) {
  for (const auto& change : batch) {
    spdlog::error("{}: certificate {} not deployed: {}", change.desired.domain,
                  change.desired.certificate_id.value_or(0), error);
    Report(change.desired, DeploymentOutcome::kFailed, error);
    ++summary.failed;
  }
}

void Deployer::Report(const DesiredCertificate& d, DeploymentOutcome outcome,
                      const std::string& error) {
  if (outcome == DeploymentOutcome::kFailed) memory_.failed[d.domain] = d.sha256;
  DeploymentReport report{d.certificate_id.value_or(0), d.domain, outcome, d.sha256, error};
  if (auto s = hub_.ReportDeployment(report); !s) {
    spdlog::warn("{}: cannot report to the hub (will report again): {}", d.domain,
                 s.error().message);
    return;
  }
  if (outcome == DeploymentOutcome::kDeployed) memory_.reported[d.domain] = d.sha256;
}

}  // namespace certfleet::agent
