// HubClient: the agent's only seam to the hub (production: HttpHubClient; tests:
// FakeHubClient beside it).
//
// Every call is scoped by the machine token to the agent's own machine. Errors:
// kUnavailable / kDeadlineExceeded when the hub cannot be reached (retry later),
// kUnauthenticated / kPermissionDenied when the token is wrong or not allowed,
// kNotFound for an unknown certificate, kProtocol for an answer we cannot read.
//
// Thread safety: implementations MUST allow Watch() on one thread concurrently with the
// other calls on another (the agent's watch thread and its converge loop).
#pragma once

#include <chrono>

#include "agent/desired_state.h"
#include "common/error.h"

namespace certfleet::agent {

class HubClient {
 public:
  virtual ~HubClient() = default;

  // The machine's desired state; also the agent's heartbeat on the hub.
  virtual Result<DesiredState> GetDesiredState() = 0;

  // Chain and private key of a certificate whose domain this machine hosts
  // (kPermissionDenied otherwise).
  virtual Result<CertificateBundle> GetCertificate(CertificateId id) = 0;

  virtual Status ReportDeployment(const DeploymentReport& report) = 0;

  // Long poll: returns at once when events after `since` exist, else waits up to
  // `wait` for one; an empty page when the wait elapsed.
  virtual Result<WatchPage> Watch(Revision since, std::chrono::seconds wait) = 0;

  // Ends a Watch() in progress on another thread at once (it returns an error) and makes
  // later ones fail: for shutdown. Thread-safe, irreversible. Default: nothing (the poll
  // then ends at its wait).
  virtual void CancelWatch() {}
};

}  // namespace certfleet::agent
