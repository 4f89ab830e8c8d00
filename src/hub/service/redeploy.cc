#include "hub/service/redeploy.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hub/service/lookup.h"

namespace certfleet::hub::service {
namespace {

constexpr std::int64_t kPage = 1000;

// Every machine's name, ascending.
Result<std::vector<std::string>> AllMachines(store::Store& store) {
  std::vector<std::string> names;
  for (std::int64_t offset = 0;; offset += kPage) {
    auto page = store.ListMachines(store::NameQuery{"", kPage, offset});
    if (!page) return Fail(page.error());
    for (const auto& m : page->items) names.push_back(m.name);
    if (static_cast<std::int64_t>(page->items.size()) < kPage) break;
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The names of the machines hosting `domain`, ascending.
Result<std::vector<std::string>> HostsOf(store::Store& store, const store::Domain& domain) {
  std::vector<std::string> names;
  for (store::Id id : domain.machine_ids) {
    auto m = store.GetMachine(id);
    if (!m) return Fail(m.error());
    names.push_back(m->name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::vector<std::string>> MachinesFor(store::Store& store, const RedeployInput& in,
                                             const std::optional<store::Domain>& domain) {
  if (!in.machine.empty()) {
    auto machine = FindMachine(store, in.machine);
    if (!machine) return Fail(machine.error());
    if (domain) {
      const auto& ids = domain->machine_ids;
      if (std::find(ids.begin(), ids.end(), machine->id) == ids.end()) {
        return Fail(ErrorCode::kInvalidArgument, "domain " + domain->name +
                                                     " is not hosted on machine " + machine->name +
                                                     ": nothing to redeploy");
      }
    }
    return std::vector<std::string>{machine->name};
  }
  if (domain) return HostsOf(store, *domain);
  return AllMachines(store);
}

}  // namespace

Result<RedeployResult> RequestRedeploy(ServiceContext& s, const store::Actor& actor,
                                       const RedeployInput& in) {
  std::optional<store::Domain> domain;
  if (!in.domain.empty()) {
    auto found = FindDomain(s.store, in.domain);
    if (!found) return Fail(found.error());
    domain = std::move(*found);
  }
  auto machines = MachinesFor(s.store, in, domain);
  if (!machines) return Fail(machines.error());
  if (machines->empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                domain ? "domain " + domain->name + " is hosted on no machine: nothing to redeploy"
                       : std::string("there are no machines: nothing to redeploy"));
  }
  RedeployResult result{domain ? domain->name : "", {}};
  for (const auto& name : *machines) {
    store::Event e;
    e.type = kRedeployRequested;
    e.subject = "machine:" + name;
    e.payload_json = nlohmann::json{{"machine", name}, {"domain", result.domain}}.dump();
    if (auto appended = s.store.AppendEvent(actor, e); !appended) {
      return Fail(appended.error().WithContext("asking machine " + name + " to redeploy"));
    }
    result.machines.push_back(name);
  }
  return result;
}

}  // namespace certfleet::hub::service
