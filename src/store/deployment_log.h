// DeploymentLog: what each agent reported about each certificate on its machine.
//
// Callers: the agent API (ReportDeployment), the domain and machine views, the
// notifier (deployment failures).
#pragma once

#include <cstdint>
#include <vector>

#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

class DeploymentLog {
 public:
  virtual ~DeploymentLog() = default;

  // Upserts the (machine, certificate) row from an agent report (reported_at defaults to
  // now); emits deployment.reported. kNotFound for an unknown machine or certificate.
  virtual Result<Deployment> ReportDeployment(const Actor& actor, const Deployment& d) = 0;
  // For the domain's current certificate: one row per hosting machine, kPending rows
  // synthesized (reported_at empty) where nothing was reported yet. Sorted by machine id.
  virtual Result<std::vector<Deployment>> ListDomainDeployments(Id domain_id) = 0;
  // Every reported row for a machine, newest report first.
  virtual Result<std::vector<Deployment>> ListMachineDeployments(Id machine_id,
                                                                 std::int64_t limit) = 0;
};

}  // namespace certfleet::store
