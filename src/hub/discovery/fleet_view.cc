#include "hub/discovery/fleet_view.h"

#include <algorithm>
#include <set>

namespace certfleet::hub::discovery {
namespace {

void AddUnique(std::vector<std::string>& list, const std::string& value) {
  if (!value.empty() && std::find(list.begin(), list.end(), value) == list.end()) {
    list.push_back(value);
  }
}

// Domains by each name they hold (wildcards as written, "*.example.com").
class DomainIndex {
 public:
  explicit DomainIndex(const std::vector<ManagedDomain>& domains) {
    for (const auto& d : domains) {
      by_name_.emplace(d.name, &d);
      for (const auto& san : d.sans) by_name_.emplace(san, &d);
    }
  }

  // The domain holding `name` itself, else one whose wildcard covers it.
  const ManagedDomain* Covering(const std::string& name) const {
    if (auto it = by_name_.find(name); it != by_name_.end()) return it->second;
    const size_t dot = name.find('.');
    if (dot == std::string::npos || dot == 0) return nullptr;
    auto it = by_name_.find("*" + name.substr(dot));
    return it != by_name_.end() ? it->second : nullptr;
  }

 private:
  std::map<std::string, const ManagedDomain*> by_name_;
};

// What a machine gives clients for the name: the served leaves when a handshake worked,
// else every configured one (an RSA + ECDSA pair is one machine's answer, not a conflict).
std::set<std::string> Answer(const Sighting& s) {
  std::set<std::string> out;
  for (const auto& e : s.served) {
    if (!e.sha256.empty()) out.insert(e.sha256);
  }
  if (!out.empty()) return out;
  for (const auto& e : s.files) {
    if (!e.sha256.empty()) out.insert(e.sha256);
  }
  return out;
}

bool MachinesDisagree(const std::vector<Sighting>& machines) {
  std::optional<std::set<std::string>> first;
  for (const Sighting& s : machines) {
    std::set<std::string> answer = Answer(s);
    if (answer.empty()) continue;
    if (!first)
      first = std::move(answer);
    else if (answer != *first)
      return true;
  }
  return false;
}

void Judge(NameGroup& g, const DomainIndex& domains) {
  std::set<std::string> served;
  std::optional<TimePoint> served_expiry;
  std::optional<TimePoint> file_expiry;
  auto earliest = [](std::optional<TimePoint>& at, const std::optional<TimePoint>& t) {
    if (t && (!at || *t < *at)) at = t;
  };
  for (const Sighting& s : g.machines) {
    for (const auto& e : s.served) {
      if (e.sha256.empty()) {
        g.problems.push_back(s.machine + ": handshake with " + e.path + " failed: " + e.detail);
        continue;
      }
      served.insert(e.sha256);
      earliest(served_expiry, e.not_after);
      AddUnique(g.sha256s, e.sha256);
    }
  }
  for (const Sighting& s : g.machines) {
    for (const auto& e : s.files) {
      if (e.status != "ok") {
        g.problems.push_back(s.machine + ": " + e.path + ": " + e.status +
                             (e.detail.empty() ? "" : " (" + e.detail + ")"));
      }
      if (e.sha256.empty()) continue;
      earliest(file_expiry, e.not_after);
      AddUnique(g.sha256s, e.sha256);
    }
  }
  g.not_after = served.empty() ? file_expiry : served_expiry;
  g.conflict = MachinesDisagree(g.machines);
  const ManagedDomain* d = domains.Covering(g.name);
  if (d == nullptr) {
    g.state = NameState::kUnmanaged;
    return;
  }
  g.domain = d->name;
  const bool all_current = !served.empty() && served.size() == 1 && !d->current_sha256.empty() &&
                           *served.begin() == d->current_sha256;
  g.state = all_current ? NameState::kManaged : NameState::kDrifting;
}

}  // namespace

std::string_view NameStateName(NameState s) {
  switch (s) {
    case NameState::kManaged:
      return "managed";
    case NameState::kDrifting:
      return "drifting";
    case NameState::kUnmanaged:
      return "unmanaged";
  }
  return "unmanaged";
}

bool Covers(std::string_view pattern, std::string_view name) {
  if (pattern == name) return true;
  if (pattern.substr(0, 2) != "*.") return false;
  const auto dot = name.find('.');
  return dot != std::string_view::npos && dot > 0 && name.substr(dot + 1) == pattern.substr(2);
}

std::vector<NameGroup> GroupByName(const std::vector<store::InventoryEntry>& entries,
                                   const std::map<store::Id, std::string>& machine_names,
                                   const std::vector<ManagedDomain>& domains) {
  std::map<std::string, std::map<store::Id, Sighting>> by_name;
  for (const auto& e : entries) {
    Sighting& s = by_name[e.name][e.machine_id];
    s.machine_id = e.machine_id;
    auto it = machine_names.find(e.machine_id);
    s.machine = it != machine_names.end() ? it->second : "#" + std::to_string(e.machine_id);
    (e.origin == "served" ? s.served : s.files).push_back(e);
  }
  const DomainIndex index(domains);
  std::vector<NameGroup> out;
  for (auto& [name, machines] : by_name) {
    NameGroup g;
    g.name = name;
    for (auto& [id, s] : machines) g.machines.push_back(std::move(s));
    Judge(g, index);
    out.push_back(std::move(g));
  }
  std::stable_sort(out.begin(), out.end(), [](const NameGroup& a, const NameGroup& b) {
    if (a.not_after.has_value() != b.not_after.has_value()) return a.not_after.has_value();
    return a.not_after < b.not_after;
  });
  return out;
}

}  // namespace certfleet::hub::discovery
