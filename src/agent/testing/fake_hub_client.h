// FakeHubClient: an in-memory hub for tests of the reconcile loop and the deployer.
//
// Tests set the desired state and the bundles, publish "events" with Publish(), flip
// the hub offline with SetAvailable(false), and read back the reports the agent sent.
// Thread-safe; Watch() blocks on a condition variable, so Publish() wakes it at once.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "agent/hub_client.h"
#include "store/event_types.h"

namespace certfleet::agent {

class FakeHubClient final : public HubClient {
 public:
  Result<DesiredState> GetDesiredState() override;
  Result<CertificateBundle> GetCertificate(CertificateId id) override;
  Status ReportDeployment(const DeploymentReport& report) override;
  Result<WatchPage> Watch(Revision since, std::chrono::seconds wait) override;
  void CancelWatch() override;  // a waiting Watch returns kUnavailable at once

  // Replaces the desired state (its revision is set to the current event revision).
  void SetDesiredState(DesiredState state);
  // Makes the bundle available to GetCertificate(bundle.certificate_id).
  void AddBundle(CertificateBundle bundle);
  // Appends an event of `type` and wakes watchers.
  void Publish(std::string type = std::string(store::events::kMachineDesiredChanged));
  // While unavailable every call fails with kUnavailable (hub down); watchers wake up.
  void SetAvailable(bool available);

  std::vector<DeploymentReport> reports() const;
  int desired_calls() const;
  int watch_calls() const;  // Watch calls begun

 private:
  Status CheckAvailable() const;  // requires mu_

  mutable std::mutex mu_;
  std::condition_variable cv_;
  DesiredState desired_;
  std::map<CertificateId, CertificateBundle> bundles_;
  std::vector<DeploymentReport> reports_;
  std::vector<std::string> events_;  // events_[r] is the type of revision r + 1
  Revision revision_ = 0;
  bool available_ = true;
  bool watch_cancelled_ = false;
  int desired_calls_ = 0;
  int watch_calls_ = 0;
};

}  // namespace certfleet::agent
