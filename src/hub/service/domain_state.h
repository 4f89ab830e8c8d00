// The honest state of a domain, as people read it (UI, API "state", CLI): not only the
// issuance status, but whether its current certificate covers every name, whether it is
// deployed, and whether a manual domain is still waiting for its upload. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"
#include "store/store.h"

namespace certfleet::hub::service {

// Manual certificates do not renew themselves: warn a month ahead. ACME certificates are
// renewed at 2/3 of their lifetime (30 days left for 90-day ones), so two weeks left
// means renewal is overdue.
inline constexpr auto kManualExpiryWarning = std::chrono::hours(24 * 30);
inline constexpr auto kAcmeExpiryWarning = std::chrono::hours(24 * 14);

// One machine's report for the domain's current certificate.
struct DeploymentFact {
  std::string machine;
  store::DeploymentStatus status = store::DeploymentStatus::kPending;
  std::string error;
};

enum class Tone { kOk, kInfo, kWarn, kBad };
std::string_view ToneName(Tone tone);  // "ok", "info", "warn", "bad" (CSS classes, JSON)

struct DomainState {
  // One or two words: "valid", "awaiting upload", "failed", "expired", "names not covered",
  // "deploy failed", "deploying", "expiring", "issuing", "renewing", "pending".
  std::string label;
  Tone tone = Tone::kInfo;
  // What needs attention, in sentences ("web-2 could not deploy it: nginx -t failed: …").
  std::vector<std::string> problems;
  // Names of the domain (primary + SANs) that the current certificate does not cover.
  std::vector<std::string> uncovered;
};

// `certificate_names` are the DNS names of the current certificate (nullopt: none yet);
// `not_after` its end. The first matching rule sets the label, in this order: failed,
// awaiting upload (manual, no certificate), expired, names not covered, deploy failed,
// issuing / renewing / pending (an order is running or due), expiring, deploying (some
// machine has not reported it yet), valid. Every matching problem is listed.
DomainState AssessDomain(const store::Domain& d,
                         const std::optional<std::vector<std::string>>& certificate_names,
                         const std::vector<DeploymentFact>& deployments, TimePoint now);

// AssessDomain with the facts read from the store: the current certificate's names and the
// deployment rows of every hosting machine (two or three queries).
Result<DomainState> LoadDomainState(store::Store& store, const store::Domain& d, TimePoint now);
// LoadDomainState for each of `domains` (a page of the domain list), in input order: one
// store read for the page (DeploymentLog::ListDomainsDeployments) and one per machine
// named, instead of two or more reads per domain.
Result<std::vector<DomainState>> LoadDomainStates(store::Store& store,
                                                  const std::vector<store::Domain>& domains,
                                                  TimePoint now);

// "the certificate expires in 9 days; …" when the current certificate ends within the
// warning time of its issuer kind (kManualExpiryWarning / kAcmeExpiryWarning) but has
// not ended yet; nullopt otherwise.
std::optional<std::string> ExpiryWarning(const store::Domain& d, TimePoint now);

}  // namespace certfleet::hub::service
