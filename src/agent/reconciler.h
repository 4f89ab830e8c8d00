// Reconcile: the agent's one decision, as a pure function.
//
// Given what the hub wants on this machine, what is on disk, and what the agent already
// did in this process (reports sent, attempts that failed), it returns the plan: which
// certificates to install, which installed ones only need confirming (verify + report),
// which domains to remove, and which entries to refuse. No I/O, no clock.
//
// Rules:
//  - A domain name passes NormalizeDomainName (wildcards allowed) before anything else;
//    an invalid or duplicate name is refused (never becomes a path).
//  - A domain without a certificate yet changes nothing (what is on disk stays).
//  - A certificate whose (domain, sha256) already failed is not retried until the caller
//    forgets the failure (the agent does at every periodic resync).
//  - Files on disk that match but were not yet reported deployed by this process are
//    confirmed (after a crash between write and reload, the confirm path reloads).
//  - Domains on disk that the hub no longer lists are removed only with kRemove.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/desired_state.h"

namespace certfleet::agent {

enum class RemovePolicy { kKeep, kRemove };

// A certificate as installed on disk (from the writer's manifest).
struct InstalledCertificate {
  std::string sha256;
  std::optional<CertificateId> certificate_id;
};
// Keyed by canonical domain name.
using Inventory = std::map<std::string, InstalledCertificate>;

// What this agent process remembers between passes.
struct AgentMemory {
  // canonical domain (or, for a refused name, the name as sent) → sha256 that failed
  std::map<std::string, std::string> failed;
  std::map<std::string, std::string> reported;  // canonical domain → sha256 reported deployed
};

struct Refusal {
  std::string domain;  // as sent by the hub
  std::optional<CertificateId> certificate_id;
  std::string sha256;
  std::string reason;
};

struct Plan {
  std::vector<DesiredCertificate> install;  // domain fields are canonical
  std::vector<DesiredCertificate> confirm;  // on disk already; verify and report
  std::vector<std::string> remove;          // canonical domain names
  std::vector<Refusal> refuse;

  bool Empty() const {
    return install.empty() && confirm.empty() && remove.empty() && refuse.empty();
  }
};

Plan Reconcile(const DesiredState& desired, const Inventory& on_disk, const AgentMemory& memory,
               RemovePolicy policy);

// True for 64 lower-case hex digits (a SHA-256 fingerprint as the hub writes it).
bool IsSha256Hex(const std::string& text);

}  // namespace certfleet::agent
