// From outbox events to notices (which events people hear about, and in what words).
//
//   certificate.issued / .renewed → kIssued / kRenewed (one per certificate)
//   domain.status with status "failed" → kFailed (CA detail, next retry)
//   domain.delegation → kDelegation when a domain's DNS-01 delegation check fails after
//       passing or never running (waiting: what to create), and when it passes after
//       failing (resolved); once per change of the check's state, not per check
//   deployment.reported → kDeployed once no hosting machine of the domain's current
//       certificate is pending any more: one notice per certificate summarising every
//       machine ("deployed on 2 of 3 machines; web-03 failed: ...")
//   everything else → nothing
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "notify/names.h"
#include "notify/notice.h"
#include "store/store.h"

namespace certfleet::notify {

// A notice with the queue's de-duplication key: the same key is enqueued at most once
// per channel, so reprocessing an event after a crash, a repeated agent report, or a
// second scan cannot send the same thing twice.
struct PendingNotice {
  Notice notice;
  std::string dedup_key;
};

struct MachineOutcome {
  std::string machine;
  store::DeploymentStatus status = store::DeploymentStatus::kPending;
  std::string error;
};

// The kDeployed notice once every machine has reported (deployed or failed); nullopt
// while any is pending or when there are no machines. Pure.
std::optional<Notice> DeploymentSummary(const std::string& domain, const std::string& customer,
                                        const std::vector<MachineOutcome>& outcomes);

// Notices for one event; empty for the types above that say nothing, and when the domain
// was deleted meanwhile. Store errors other than kNotFound are returned (the dispatcher
// then retries the event later).
Result<std::vector<PendingNotice>> NoticesFromEvent(const store::Event& event, store::Store& store,
                                                    Names& names, TimePoint now);

}  // namespace certfleet::notify
