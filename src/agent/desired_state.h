// The agent's view of the hub: what a machine should serve, the key material of one
// certificate, and what the agent reports back. Plain value types, no behaviour.
//
// Field names follow the hub's agent API (src/hub/api/agent.cc); everything here arrived
// over the network and is untrusted until the reconciler and the checks have seen it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::agent {

using CertificateId = std::int64_t;
using Revision = std::int64_t;

// One domain the machine hosts. certificate_id is empty until the hub holds a
// certificate for the domain; then sha256 is the SHA-256 (lower-case hex) of its leaf DER.
struct DesiredCertificate {
  std::string domain;
  std::vector<std::string> sans;
  std::optional<CertificateId> certificate_id;
  std::string sha256;
  std::optional<TimePoint> not_after;
};

struct DesiredState {
  std::string machine;
  Revision revision = 0;  // the hub's event revision when it read this state
  std::vector<DesiredCertificate> certificates;
};

// GET /api/v1/agent/certificates/{id}. Never log key_pem.
struct CertificateBundle {
  CertificateId certificate_id = 0;
  std::string domain;
  std::string sha256;
  std::string chain_pem;  // leaf first, then intermediates
  std::string key_pem;
};

// kPending: installed on disk, but nginx does not serve it yet (no server block for the
// name uses the agent's files); the agent keeps the files and probes again.
enum class DeploymentOutcome { kDeployed, kFailed, kPending };

// POST /api/v1/agent/deployments.
struct DeploymentReport {
  CertificateId certificate_id = 0;
  std::string domain;  // for logs only (the hub derives it from the certificate)
  DeploymentOutcome outcome = DeploymentOutcome::kDeployed;
  std::string sha256;  // what nginx served (deployed) or what we tried to install (failed)
  std::string error;   // "" when deployed; why not served yet when pending
};

// One page of the watch stream: the events after `since` that concern this machine and
// the cursor to pass as `since` next time.
struct WatchPage {
  Revision revision = 0;
  std::vector<std::string> event_types;
  // Support asked for a redeploy (machine.redeploy_requested): the domains it names,
  // "" for every domain of the machine.
  std::vector<std::string> redeploy;
};

// The event support's redeploy button appends for each machine (docs/events.md).
inline constexpr const char* kRedeployEvent = "machine.redeploy_requested";

}  // namespace certfleet::agent
