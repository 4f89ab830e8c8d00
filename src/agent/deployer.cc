#include "agent/deployer.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "agent/bundle_check.h"
#include "common/domain_name.h"

namespace certfleet::agent {
namespace {

// Milliseconds from `start` to now, for the debug log's per-step timings.
double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

int LocalMinuteOfDay(TimePoint t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm local{};
  ::localtime_r(&tt, &local);
  return local.tm_hour * 60 + local.tm_min;
}

}  // namespace

DeployerOptions DeployerOptionsFrom(const AgentConfig& c) {
  DeployerOptions o{c.test_command,   c.reload_command,        c.verify_address,
                    c.verify_timeout, c.command_timeout,       c.remove_policy,
                    c.reload_window,  c.reload_signal_pid_file};
  o.reload_free = c.reload_free;
  return o;
}

Deployer::Deployer(HubClient& hub, CertStore& store, Clock& clock, DeployerOptions options,
                   ReloadFreeFiles* reload_free_files)
    : hub_(hub),
      store_(store),
      clock_(clock),
      options_(std::move(options)),
      reload_free_files_(options_.reload_free ? reload_free_files : nullptr) {}

Result<PassSummary> Deployer::Converge() {
  const auto start = std::chrono::steady_clock::now();
  auto desired = hub_.GetDesiredState();
  if (!desired) return Fail(desired.error().WithContext("fetching the desired state from the hub"));
  spdlog::debug("pass: desired state (revision {}) read in {:.1f} ms", desired->revision,
                MillisSince(start));
  auto inventory = store_.ReadInventory();
  if (!inventory) return Fail(inventory.error().WithContext("reading what is on disk"));
  const Plan plan = Reconcile(*desired, *inventory, memory_, options_.remove_policy, clock_.Now());
  PassSummary summary;
  summary.revision = desired->revision;
  Refuse(plan.refuse, summary);
  RemoveAll(plan.remove, summary);
  const bool work = !plan.install.empty() || !plan.confirm.empty() || !plan.probe.empty();
  if (reload_free_files_ != nullptr && (!links_synced_ || !plan.remove.empty()) && !work) {
    if (auto s = SyncReloadFreeFiles(*desired, nullptr); !s)
      spdlog::error("reload-free files: {}", s.error().message);
  }
  if (!work) return summary;
  if (!InsideWindow()) {
    spdlog::info("{} certificate(s) to deploy wait for the reload window",
                 plan.install.size() + plan.confirm.size() + plan.probe.size());
    summary.deferred = true;
    return summary;
  }
  ProbeUnserved(plan.probe, summary);
  std::vector<Change> batch = Stage(plan.install, *inventory, summary);
  spdlog::debug("pass: {} certificate(s) fetched, checked and installed at {:.1f} ms", batch.size(),
                MillisSince(start));
  AddUnserved(plan.confirm, batch, summary);
  if (reload_free_files_ != nullptr) ServeBySwap(*desired, batch, summary);
  if (!batch.empty()) Activate(std::move(batch), summary);
  if (reload_free_files_ != nullptr && summary.failed > 0) {
    // Rolled back or removed: the links and the map follow what is on disk again.
    if (auto s = SyncReloadFreeFiles(*desired, nullptr); !s)
      spdlog::error("reload-free files: {}", s.error().message);
  }
  return summary;
}

void Deployer::ForgetFailures() {
  memory_.failed.clear();
  needs_reload_.clear();
}

void Deployer::Redeploy(const std::string& domain) {
  if (domain.empty()) {
    memory_ = AgentMemory{};
    needs_reload_.clear();
    return;
  }
  auto name = NormalizeDomainName(domain, {.allow_wildcard = true});
  const std::string key = name ? *name : domain;
  memory_.failed.erase(key);
  memory_.unserved.erase(key);
  memory_.reported.erase(key);
  needs_reload_.erase(key);
}

std::optional<Duration> Deployer::UntilNextAttempt() const {
  const auto due = NextDue(memory_);
  if (!due) return std::nullopt;
  return std::max(Duration(0), std::chrono::duration_cast<Duration>(*due - clock_.Now()));
}

bool Deployer::InsideWindow() const {
  return InsideReloadWindow(options_.reload_window, LocalMinuteOfDay(clock_.Now()));
}

void Deployer::Refuse(const std::vector<Refusal>& refusals, PassSummary& summary) {
  for (const auto& r : refusals) {
    spdlog::error("refusing \"{}\": {}", r.domain, r.reason);
    auto previous = memory_.failed.find(r.domain);
    memory_.failed[r.domain] =
        NextAttempt(previous == memory_.failed.end() ? nullptr : &previous->second, r.sha256,
                    clock_.Now(), options_.first_retry, kMaxRetry);
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
    memory_.unserved.erase(domain);
    ++summary.removed;
  }
}

std::vector<Deployer::Change> Deployer::Stage(const std::vector<DesiredCertificate>& install,
                                              const Inventory& on_disk, PassSummary& summary) {
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
    Result<PemFiles> files =
        bundle ? PrepareFiles(*bundle, d, clock_.Now(), &intermediates_) : Fail(bundle.error());
    const auto checked = std::chrono::steady_clock::now();
    Status written = files ? store_.Install(d.domain, *files, {d.sha256, d.certificate_id},
                                            CertStore::Durability::kVisible)
                           : Fail(files.error());
    spdlog::debug("{}: checked in {:.1f} ms, installed in {:.1f} ms", d.domain,
                  std::chrono::duration<double, std::milli>(checked - fetched).count(),
                  MillisSince(checked));
    if (!written) {
      FailAll({Change{d, false}}, written.error().message, summary);
      continue;
    }
    auto before = on_disk.find(d.domain);
    batch.push_back(Change{d, true, false, before == on_disk.end() ? "" : before->second.sha256});
  }
  return batch;
}

void Deployer::Report(const DesiredCertificate& d, DeploymentOutcome outcome,
                      const std::string& error) {
  if (outcome == DeploymentOutcome::kFailed) {
    auto previous = memory_.failed.find(d.domain);
    memory_.failed[d.domain] =
        NextAttempt(previous == memory_.failed.end() ? nullptr : &previous->second, d.sha256,
                    clock_.Now(), options_.first_retry, kMaxRetry);
  }
  DeploymentReport report{d.certificate_id.value_or(0), d.domain, outcome, d.sha256, error};
  if (auto s = hub_.ReportDeployment(report); !s) {
    spdlog::warn("{}: cannot report to the hub (will report again): {}", d.domain,
                 s.error().message);
    return;
  }
  if (outcome == DeploymentOutcome::kDeployed) {
    memory_.reported[d.domain] = d.sha256;
    memory_.failed.erase(d.domain);
    memory_.unserved.erase(d.domain);
  }
}

}  // namespace certfleet::agent
