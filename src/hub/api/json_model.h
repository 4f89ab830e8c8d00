// JSON shapes of the API resources (documented in docs/api/openapi.yaml).
//
// References are shown by name (customer, machines, domain), as the CLI and UI use them;
// times are RFC 3339 strings or null. Key material never appears in these shapes.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/clock.h"
#include "hub/service/domain_state.h"
#include "hub/service/fleet_status.h"
#include "store/store.h"

namespace certfleet::hub::api {

// Resolves ids to names for one response, caching each lookup. A vanished row shows as
// "#<id>" rather than failing the whole response. Not thread-safe (one per request).
class NameCache {
 public:
  explicit NameCache(store::Store& store) : store_(store) {}
  std::string Customer(store::Id id);
  std::string Machine(store::Id id);
  std::string Domain(store::Id id);
  // A name the caller already has: later lookups of `id` use it.
  void KnowDomain(store::Id id, std::string name) { domains_[id] = std::move(name); }
  void KnowMachine(store::Id id, std::string name) { machines_[id] = std::move(name); }
  // For a page of the domain list: when its domains name several customers or machines
  // not known yet, reads the first 1,000 of each kind in one read instead of one read per
  // name (the rest, in a larger fleet, are still looked up one by one).
  void Prefetch(const std::vector<store::Domain>& domains);

 private:
  store::Store& store_;
  std::map<store::Id, std::string> customers_, machines_, domains_;
};

nlohmann::json TimeJson(std::optional<TimePoint> t);
nlohmann::json CustomerJson(const store::Customer& c);
nlohmann::json MachineJson(const store::Machine& m, NameCache& names);
nlohmann::json DomainJson(const store::Domain& d, NameCache& names);
// Certificate metadata; `with_chain` adds chain_pem (public data).
nlohmann::json CertificateJson(const store::CertificateVersion& c, bool with_chain);
nlohmann::json DeploymentJson(const store::Deployment& d, NameCache& names);
nlohmann::json EventJson(const store::Event& e);
nlohmann::json TokenJson(const store::Token& t, NameCache& names);
nlohmann::json AuditJson(const store::AuditEntry& a);
nlohmann::json OrderJson(const store::Order& o);
// {"label","tone","problems","uncovered"}: the honest state (hub/service/domain_state.h).
nlohmann::json DomainStateJson(const service::DomainState& s);
// GET /api/v1/status: {"needs_attention", "counts", "expiry_weeks", "attention"}.
nlohmann::json FleetStatusJson(const service::FleetStatus& f);

}  // namespace certfleet::hub::api
