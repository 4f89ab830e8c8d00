// DeploymentLog: what each agent reported about each certificate on its machine.
//
// Callers: the agent API (ReportDeployment), the domain and machine views, the
// notifier (deployment failures), the fleet status (ListDeploymentGaps).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "store/model.h"
#include "store/types.h"

namespace certfleet::store {

// A hosting machine that does not serve its domain's current certificate: its agent
// reported a failure or "pending", or has reported nothing for that certificate yet
// (kPending with reported_at empty).
struct DeploymentGap {
  Id domain_id = 0;
  std::string domain;
  Id machine_id = 0;
  std::string machine;
  Id certificate_id = 0;                                 // the domain's current certificate
  DeploymentStatus status = DeploymentStatus::kPending;  // kPending or kFailed
  std::string error;                                     // the agent's words when kFailed
  std::optional<TimePoint> reported_at;                  // empty when nothing was reported
};

struct DeploymentGaps {
  std::int64_t failed_domains = 0;      // domains with a kFailed gap on some machine
  std::int64_t undeployed_domains = 0;  // domains with any gap (the failed ones included)
  std::vector<DeploymentGap> items;     // kFailed first, then by domain and machine name
};

// One agent report of a batch (DeploymentLog::ReportDeployments).
struct DeploymentReport {
  Actor actor;
  Deployment deployment;
  // The agent API's rule, checked inside the write: kPermissionDenied unless the machine
  // hosts the certificate's domain.
  bool hosted_only = false;
};

// A stored report with the names the store read for its event.
struct StoredReport {
  Deployment deployment;
  std::string machine;
  std::string domain;
};

// One domain of DeploymentLog::ListDomainsDeployments.
struct DomainDeployments {
  Id domain_id = 0;
  // The names of the domain's current certificate; nullopt without one.
  std::optional<std::vector<std::string>> certificate_names;
  std::vector<Deployment> deployments;  // as ListDomainDeployments
};

class DeploymentLog {
 public:
  virtual ~DeploymentLog() = default;

  // Upserts the (machine, certificate) row from an agent report (reported_at defaults to
  // now); emits deployment.reported. kNotFound for an unknown machine or certificate.
  virtual Result<Deployment> ReportDeployment(const Actor& actor, const Deployment& d) = 0;
  // Group commit of reports that arrived together (issue 16): as ReportDeployment for each,
  // in order, all in one write transaction, each under its own savepoint. A report that
  // fails (kNotFound, a failed statement) is undone alone and answers its own error; the
  // others are committed, together. When the transaction itself fails (BEGIN, COMMIT, a
  // savepoint, the connection), every report answers that error and none is stored: a
  // report is durable exactly when its result is a value. Results are in input order.
  virtual std::vector<Result<StoredReport>> ReportDeployments(
      const std::vector<DeploymentReport>& reports) = 0;
  // For the domain's current certificate: one row per hosting machine, kPending rows
  // synthesized (reported_at empty) where nothing was reported yet. Sorted by machine id.
  virtual Result<std::vector<Deployment>> ListDomainDeployments(Id domain_id) = 0;
  // A page of the domain list at once (a few reads, not two per domain): for each id, the
  // names of the domain's current certificate and its ListDomainDeployments rows. One
  // entry per id, in the order given; an unknown id gets an empty entry.
  virtual Result<std::vector<DomainDeployments>> ListDomainsDeployments(
      const std::vector<Id>& domain_ids) = 0;
  // Every reported row for a machine, newest report first.
  virtual Result<std::vector<Deployment>> ListMachineDeployments(Id machine_id,
                                                                 std::int64_t limit) = 0;
  // Across the fleet, in one read: every (domain, hosting machine) whose domain has a
  // current certificate that is not reported deployed on that machine. The counts are
  // exact; `items` holds at most `limit` gaps. Domains without a certificate have none.
  virtual Result<DeploymentGaps> ListDeploymentGaps(std::int64_t limit) = 0;
};

}  // namespace certfleet::store
