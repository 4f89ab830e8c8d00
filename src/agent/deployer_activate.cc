// Deployer, second half: from files on disk to certificates nginx serves — the
// reload-free swap, the test + reload, the live checks, rollback and the reports.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "agent/bundle_check.h"
#include "agent/deployer.h"
#include "agent/old_workers.h"
#include "agent/reload_signal.h"
#include "agent/shell_command.h"
#include "common/domain_name.h"

namespace certfleet::agent {
namespace {

// A certificate already served needs no reload; one probe is enough to tell. The same for
// a reload-free swap: nginx opens the files at each handshake, so the first handshake
// after the rename shows the new certificate, or nginx does not read these files.
constexpr auto kOneProbeTimeout = std::chrono::seconds(1);
// After a reload nginx's old workers go on answering for a while: several in a row.
constexpr int kMatchesAfterReload = 3;

double MillisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// The names a certificate's domain is reached by: the domain, then its SANs (canonical).
std::vector<std::string> NamesOf(const DesiredCertificate& d) {
  std::vector<std::string> names{d.domain};
  for (const auto& san : d.sans) {
    auto name = NormalizeDomainName(san, {.allow_wildcard = true});
    if (name && *name != d.domain) names.push_back(*name);
  }
  return names;
}

bool Served(const std::string& address, const DesiredCertificate& d) {
  auto served = FetchServedCertificate(address, ProbeName(d.domain), kOneProbeTimeout);
  return served && served->Sha256Fingerprint() == d.sha256;
}

// True when what nginx served for the name covers it: a server block for the name exists
// and names other files (a site not switched to the agent's files yet).
bool ServedByAnotherCertificate(const ServeCheck& check, const DesiredCertificate& d) {
  if (!check.last) return false;
  const std::string probe = ProbeName(d.domain);
  for (const auto& name : check.last->DnsNames()) {
    if (NameCovers(name, probe)) return true;
  }
  return false;
}

// True when nginx still served the version our files held before this install: it reads
// them, but did not take the new version (the reload did not happen or did not finish).
// Only then can rolling the files back restore agreement between disk and nginx.
bool StillServesTheReplacedVersion(const ServeCheck& check, const std::string& replaced_sha256) {
  return check.last && !replaced_sha256.empty() &&
         check.last->Sha256Fingerprint() == replaced_sha256;
}

}  // namespace

void Deployer::ProbeUnserved(const std::vector<DesiredCertificate>& probe, PassSummary& summary) {
  for (const auto& d : probe) {
    if (!options_.verify_address.empty() && Served(options_.verify_address, d)) {
      spdlog::info("{}: certificate {} is served by nginx now", d.domain,
                   d.certificate_id.value_or(0));
      Report(d, DeploymentOutcome::kDeployed, "");
      ++summary.deployed;
      continue;
    }
    const Attempt& previous = memory_.unserved.at(d.domain);
    memory_.unserved[d.domain] =
        NextAttempt(&previous, d.sha256, clock_.Now(), options_.first_probe, kMaxProbe);
  }
}

void Deployer::AddUnserved(const std::vector<DesiredCertificate>& confirm,
                           std::vector<Change>& batch, PassSummary& summary) {
  for (const auto& d : confirm) {
    if (!options_.verify_address.empty() && Served(options_.verify_address, d)) {
      Report(d, DeploymentOutcome::kDeployed, "");
      ++summary.deployed;
      continue;
    }
    // On disk but not (provably) served: e.g. a crash between write and reload.
    batch.push_back(Change{d, false});
  }
}

Status Deployer::SyncReloadFreeFiles(const DesiredState& desired, std::set<std::string>* added) {
  auto inventory = store_.ReadInventory();
  if (!inventory) return Fail(inventory.error());
  std::map<std::string, std::vector<std::string>> names;
  for (const auto& d : desired.certificates) {
    auto domain = NormalizeDomainName(d.domain, {.allow_wildcard = true});
    if (!domain) continue;
    DesiredCertificate canonical = d;
    canonical.domain = *domain;
    names.emplace(*domain, NamesOf(canonical));
  }
  std::vector<DomainNames> installed;
  for (const auto& [domain, found] : *inventory) {
    auto it = names.find(domain);
    if (it != names.end()) {
      installed.push_back({domain, it->second, true});
    } else {
      installed.push_back({domain, {domain}, false});
    }
  }
  auto synced = reload_free_files_->Sync(installed);
  if (!synced) return Fail(synced.error());
  links_synced_ = true;
  if (added != nullptr) *added = std::move(*synced);
  return Ok();
}

void Deployer::ServeBySwap(const DesiredState& desired, std::vector<Change>& batch,
                           PassSummary& summary) {
  const auto start = std::chrono::steady_clock::now();
  std::set<std::string> added;
  if (auto s = SyncReloadFreeFiles(desired, &added); !s) {
    spdlog::error("reload-free files: {} (deploying with a reload instead)", s.error().message);
    return;
  }
  std::vector<Change> rest;
  for (auto& change : batch) {
    const DesiredCertificate& d = change.desired;
    bool learnt_from_map = false;  // nginx reads new map entries at its next reload only
    for (const auto& name : NamesOf(d)) learnt_from_map |= added.count(name) > 0;
    // Without verify_address there is nothing to ask: the swap is trusted (as the reload
    // path trusts a reload then), so every server block must use the reload-free lines.
    const bool served = options_.verify_address.empty() || Served(options_.verify_address, d);
    if (!change.written || learnt_from_map || needs_reload_.count(d.domain) > 0 || !served) {
      change.tried_swap = change.written && !learnt_from_map && needs_reload_.count(d.domain) == 0;
      rest.push_back(std::move(change));
      continue;
    }
    if (auto s = store_.Commit(d.domain); !s) {
      rest.push_back(std::move(change));  // the reload path's Commit reports it
      continue;
    }
    Deployed(change, Way::kReloadFree, summary);
  }
  spdlog::debug("reload-free: {} served by the swap, {} left for a reload, in {:.1f} ms",
                batch.size() - rest.size(), rest.size(), MillisSince(start));
  batch = std::move(rest);
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
  const std::uint64_t reload_ticks = BootTicksNow();
  if (auto reloaded = Reload(); !reloaded) {
    RollBack(batch);
    (void)Reload();
    FailAll(batch, "reload failed, files rolled back: " + reloaded.error().message, summary);
    return;
  }
  spdlog::debug("activate: test command passed and reload done in {:.1f} ms", MillisSince(start));
  ++summary.reloads;
  const bool reloaded_for_sure = WaitForOldWorkers(reload_ticks);
  // A reload re-reads the configuration as the test command just did, so the server
  // cannot present the new certificate sooner than that took: probing earlier only
  // competes with the reload for CPU (issue 4: nginx's single worker, two cores). Once the
  // old workers have let go of the port, the new ones serve: no need to wait more.
  const auto settle = reloaded_for_sure
                          ? Duration(0)
                          : std::min(std::chrono::duration_cast<Duration>(tested_at - start),
                                     options_.verify_timeout / 4);
  VerifyAll(std::move(batch), summary, std::chrono::steady_clock::now() + settle);
  spdlog::debug("activate: verified and reported {:.1f} ms after the test command started",
                MillisSince(start));
}

void Deployer::VerifyAll(std::vector<Change> batch, PassSummary& summary,
                         SteadyTime first_probe_at) {
  std::vector<Change> bad;
  std::vector<std::string> errors;
  for (auto& change : batch) {
    // The install's last syncs run while the server reloads (before the first probe).
    if (Status s = change.written ? store_.Commit(change.desired.domain) : Ok(); !s) {
      bad.push_back(change);
      errors.push_back(s.error().message);
      continue;
    }
    const ServeCheck check = Verify(change.desired, first_probe_at);
    if (check.served) {
      if (change.tried_swap) needs_reload_.insert(change.desired.domain);
      Deployed(change, Way::kReload, summary);
    } else if (change.written && StillServesTheReplacedVersion(check, change.replaced_sha256)) {
      bad.push_back(change);
      errors.push_back(options_.verify_address + " (SNI " + ProbeName(change.desired.domain) +
                       ") did not serve certificate " + change.desired.sha256 + " within " +
                       std::to_string(options_.verify_timeout.count()) + " ms; " +
                       DescribeServed(check) + ", the version these files held before");
    } else {
      NotServedYet(change.desired, check, summary);
    }
  }
  if (bad.empty()) return;
  RollBack(bad);
  if (auto again = Reload(); again) ++summary.reloads;
  for (size_t i = 0; i < bad.size(); ++i) {
    FailAll({bad[i]}, "not served after reload, rolled back: " + errors[i], summary);
  }
}

void Deployer::Deployed(const Change& change, Way way, PassSummary& summary) {
  const DesiredCertificate& d = change.desired;
  spdlog::info("{}: certificate {} deployed and served ({})", d.domain,
               d.certificate_id.value_or(0),
               way == Way::kReloadFree ? "reload-free: swapped, no reload" : "after test + reload");
  Report(d, DeploymentOutcome::kDeployed, "");
  ++summary.deployed;
  if (way == Way::kReloadFree) ++summary.deployed_reload_free;
}

void Deployer::NotServedYet(const DesiredCertificate& d, const ServeCheck& check,
                            PassSummary& summary) {
  auto previous = memory_.unserved.find(d.domain);
  const Attempt next = NextAttempt(previous == memory_.unserved.end() ? nullptr : &previous->second,
                                   d.sha256, clock_.Now(), options_.first_probe, kMaxProbe);
  memory_.unserved[d.domain] = next;
  const std::string live = store_.LiveDir(d.domain).string();
  const std::string lines = reload_free_files_ != nullptr
                                ? "certfleet's reload-free lines (ssl_certificate "
                                  "$certfleet_bundle; ssl_certificate_key $certfleet_bundle; "
                                  "docs/nginx.md)"
                                : "ssl_certificate " + live +
                                      "/fullchain.pem; ssl_certificate_key " + live +
                                      "/privkey.pem;";
  // A certificate for the name: its server block exists and names other files (a site being
  // adopted); anything else: no block for the name yet.
  const std::string todo = ServedByAnotherCertificate(check, d)
                               ? ", from a server block that names other files. Point its "
                                 "certificate lines at the agent's: " +
                                     lines
                               : ". Add a server block for " + d.domain + " with " + lines;
  const auto wait = std::chrono::ceil<std::chrono::seconds>(next.due - clock_.Now());
  const std::string message = "installed, not served by nginx yet: " + options_.verify_address +
                              " (SNI " + ProbeName(d.domain) + "): " + DescribeServed(check) +
                              todo + " and reload nginx; the agent checks again in " +
                              std::to_string(wait.count()) + " s";
  spdlog::warn("{}: certificate {} {}", d.domain, d.certificate_id.value_or(0), message);
  Report(d, DeploymentOutcome::kPending, message);
  ++summary.unserved;
}

bool Deployer::WaitForOldWorkers(std::uint64_t reload_ticks) const {
  const auto port = PortOf(options_.verify_address);
  if (!port) return false;
  const auto start = std::chrono::steady_clock::now();
  // None at all: gone already, or /proc cannot tell (not root, not nginx).
  if (OldWorkersListeningOn(*port, reload_ticks).empty()) return false;
  const auto old = WaitForOldWorkersToStopAccepting(*port, reload_ticks, options_.verify_timeout);
  if (!old.empty()) {
    spdlog::warn(
        "{} old nginx worker(s) (pid {}) still accept connections on port {} {} ms after "
        "the reload; clients may get the previous certificates from them",
        old.size(), old.front(), *port, static_cast<long>(MillisSince(start)));
    return false;
  }
  spdlog::debug("activate: old nginx workers stopped accepting after {:.1f} ms",
                MillisSince(start));
  return true;
}

ServeCheck Deployer::Verify(const DesiredCertificate& d, SteadyTime first_probe_at) const {
  if (options_.verify_address.empty()) return ServeCheck{true, std::nullopt, ""};
  const auto wait = std::max(Duration(0), std::chrono::duration_cast<Duration>(
                                              first_probe_at - std::chrono::steady_clock::now()));
  return CheckServed(options_.verify_address, ProbeName(d.domain), d.sha256,
                     options_.verify_timeout, wait, kMatchesAfterReload);
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

}  // namespace certfleet::agent
