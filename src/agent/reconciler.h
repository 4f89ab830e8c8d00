// Reconcile: the agent's one decision, as a pure function.
//
// Given what the hub wants on this machine, what is on disk, what the agent already did in
// this process (reports sent, attempts that failed, installs nginx did not serve yet) and
// the time, it returns the plan: which certificates to install, which installed ones only
// need confirming (verify + report), which to probe again, which domains to remove, and
// which entries to refuse. No I/O; the clock's reading is passed in.
//
// Rules:
//  - A domain name passes NormalizeDomainName (wildcards allowed) before anything else;
//    an invalid or duplicate name is refused (never becomes a path).
//  - A domain without a certificate yet changes nothing (what is on disk stays).
//  - A certificate whose (domain, sha256) already failed is retried when its attempt is
//    due (RetryDue: 5 s after the first failure, doubling up to 10 min), or earlier when
//    the caller forgets the failure (periodic resync, a redeploy request).
//  - An installed certificate nginx did not serve yet ("installed, not served by nginx
//    yet": no server block for the name) is probed again when due, never reinstalled.
//  - Files on disk that match but were not yet reported deployed by this process are
//    confirmed (after a crash between write and reload, the confirm path reloads).
//  - Domains on disk that the hub no longer lists are removed only with kRemove.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/desired_state.h"
#include "common/clock.h"

namespace certfleet::agent {

enum class RemovePolicy { kKeep, kRemove };

// A certificate as installed on disk (from the writer's manifest).
struct InstalledCertificate {
  std::string sha256;
  std::optional<CertificateId> certificate_id;
};
// Keyed by canonical domain name.
using Inventory = std::map<std::string, InstalledCertificate>;

// One certificate the agent will try again: which, how often it tried, and when next.
struct Attempt {
  std::string sha256;
  int count = 1;
  TimePoint due;
};

// What this agent process remembers between passes.
struct AgentMemory {
  // canonical domain (or, for a refused name, the name as sent) → the attempt that failed
  std::map<std::string, Attempt> failed;
  // canonical domain → installed, reported "not served by nginx yet"; probed when due
  std::map<std::string, Attempt> unserved;
  std::map<std::string, std::string> reported;  // canonical domain → sha256 reported deployed
};

// The next attempt after `previous` (nullptr: the first failure) of the certificate
// `sha256`, at `now`: delays first, 2×first, 4×first … up to `max`. A different
// certificate starts again at `first`.
Attempt NextAttempt(const Attempt* previous, const std::string& sha256, TimePoint now,
                    Duration first, Duration max);

// Delays for failed deployments and for installs nginx does not serve yet.
inline constexpr Duration kFirstRetry = std::chrono::seconds(5);
inline constexpr Duration kMaxRetry = std::chrono::minutes(10);
inline constexpr Duration kFirstProbe = std::chrono::seconds(2);
inline constexpr Duration kMaxProbe = std::chrono::minutes(1);

struct Refusal {
  std::string domain;  // as sent by the hub
  std::optional<CertificateId> certificate_id;
  std::string sha256;
  std::string reason;
};

struct Plan {
  std::vector<DesiredCertificate> install;  // domain fields are canonical
  std::vector<DesiredCertificate> confirm;  // on disk already; verify and report
  std::vector<DesiredCertificate> probe;    // installed, not served yet: probe, no reload
  std::vector<std::string> remove;          // canonical domain names
  std::vector<Refusal> refuse;

  bool Empty() const {
    return install.empty() && confirm.empty() && probe.empty() && remove.empty() && refuse.empty();
  }
};

Plan Reconcile(const DesiredState& desired, const Inventory& on_disk, const AgentMemory& memory,
               RemovePolicy policy, TimePoint now);

// The earliest due attempt in `memory` (failed or unserved), if any.
std::optional<TimePoint> NextDue(const AgentMemory& memory);

// True for 64 lower-case hex digits (a SHA-256 fingerprint as the hub writes it).
bool IsSha256Hex(const std::string& text);

}  // namespace certfleet::agent
