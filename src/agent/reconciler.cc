#include "agent/reconciler.h"

#include <algorithm>
#include <set>

#include "common/domain_name.h"

namespace certfleet::agent {
namespace {

constexpr size_t kSha256HexLength = 64;

Refusal RefusalFor(const DesiredCertificate& d, std::string reason) {
  return Refusal{d.domain, d.certificate_id, d.sha256, std::move(reason)};
}

// The attempt recorded for (key, sha256), if any.
const Attempt* Find(const std::map<std::string, Attempt>& attempts, const std::string& key,
                    const std::string& sha256) {
  auto it = attempts.find(key);
  return it != attempts.end() && it->second.sha256 == sha256 ? &it->second : nullptr;
}

// True while a failed attempt of this certificate waits for its retry.
bool WaitingToRetry(const AgentMemory& memory, const std::string& key, const std::string& sha256,
                    TimePoint now) {
  const Attempt* failed = Find(memory.failed, key, sha256);
  return failed != nullptr && now < failed->due;
}

// Sorts one desired entry (with a canonical name) into the plan.
void PlanOne(DesiredCertificate d, const Inventory& on_disk, const AgentMemory& memory,
             TimePoint now, Plan& plan) {
  auto installed = on_disk.find(d.domain);
  if (installed == on_disk.end() || installed->second.sha256 != d.sha256) {
    plan.install.push_back(std::move(d));
    return;
  }
  auto reported = memory.reported.find(d.domain);
  if (reported != memory.reported.end() && reported->second == d.sha256) return;
  if (const Attempt* unserved = Find(memory.unserved, d.domain, d.sha256)) {
    if (now >= unserved->due) plan.probe.push_back(std::move(d));
    return;
  }
  plan.confirm.push_back(std::move(d));
}

}  // namespace

Attempt NextAttempt(const Attempt* previous, const std::string& sha256, TimePoint now,
                    Duration first, Duration max) {
  const int count = previous != nullptr && previous->sha256 == sha256 ? previous->count + 1 : 1;
  Duration delay = first;
  for (int i = 1; i < count && delay < max; ++i) delay *= 2;
  return Attempt{sha256, count, now + std::min(delay, max)};
}

std::optional<TimePoint> NextDue(const AgentMemory& memory) {
  std::optional<TimePoint> next;
  for (const auto* attempts : {&memory.failed, &memory.unserved}) {
    for (const auto& [key, attempt] : *attempts) {
      if (!next || attempt.due < *next) next = attempt.due;
    }
  }
  return next;
}

bool IsSha256Hex(const std::string& text) {
  if (text.size() != kSha256HexLength) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Plan Reconcile(const DesiredState& desired, const Inventory& on_disk, const AgentMemory& memory,
               RemovePolicy policy, TimePoint now) {
  Plan plan;
  std::set<std::string> wanted;
  std::set<std::string> planned;
  auto seen_once = [&planned](const std::string& name) { return planned.insert(name).second; };
  for (const auto& entry : desired.certificates) {
    auto name = NormalizeDomainName(entry.domain, {.allow_wildcard = true});
    const std::string key = name ? *name : entry.domain;
    // A failed certificate still counts as wanted, so its old files are never removed.
    if (name) wanted.insert(*name);
    if (WaitingToRetry(memory, key, entry.sha256, now)) continue;
    if (!name) {
      plan.refuse.push_back(
          RefusalFor(entry, "refused domain name from the hub: " + name.error().message));
      continue;
    }
    if (!seen_once(*name)) {
      plan.refuse.push_back(
          RefusalFor(entry, "domain " + *name + " is listed twice in the desired state"));
      continue;
    }
    if (!entry.certificate_id) continue;  // not issued yet: leave the disk alone
    if (!IsSha256Hex(entry.sha256)) {
      plan.refuse.push_back(RefusalFor(entry, "certificate " +
                                                  std::to_string(*entry.certificate_id) +
                                                  " has no valid sha256 fingerprint"));
      continue;
    }
    DesiredCertificate canonical = entry;
    canonical.domain = *name;
    PlanOne(std::move(canonical), on_disk, memory, now, plan);
  }
  if (policy == RemovePolicy::kRemove) {
    for (const auto& [domain, installed] : on_disk) {
      if (wanted.count(domain) == 0) plan.remove.push_back(domain);
    }
  }
  return plan;
}

}  // namespace certfleet::agent
