#include "issuance/capacity_log.h"

#include <set>

#include "common/time_format.h"

namespace certfleet::issuance {
namespace {

const char* Level(bool critical) { return critical ? "critical" : "a warning"; }

}  // namespace

std::vector<CapacityLogLine> CapacityLog::Update(const std::vector<CapacityWarning>& warnings,
                                                 TimePoint now) {
  std::vector<CapacityLogLine> lines;
  std::set<std::string> warned;
  for (const CapacityWarning& w : warnings) {
    warned.insert(w.issuer);
    auto it = held_.find(w.issuer);
    if (it == held_.end()) {
      held_[w.issuer] = {.critical = w.critical, .since = now, .logged = now};
      lines.push_back({true, w.Message()});
      continue;
    }
    Held& held = it->second;
    const std::string since = " (since " + FormatRfc3339(held.since) + "): ";
    if (held.critical != w.critical) {
      lines.push_back({true, "the capacity warning of issuer " + w.issuer + " is now " +
                                 Level(w.critical) + since + w.Message()});
    } else if (now - held.logged >= kReminder) {
      lines.push_back({true, "the capacity warning of issuer " + w.issuer + " still holds" + since +
                                 w.Message()});
    } else {
      continue;
    }
    held.critical = w.critical;
    held.logged = now;
  }
  for (auto it = held_.begin(); it != held_.end();) {
    if (warned.contains(it->first)) {
      ++it;
      continue;
    }
    lines.push_back({false, "issuer " + it->first +
                                ": the order pacing keeps up with the renewals again; the "
                                "capacity warning of " +
                                FormatRfc3339(it->second.since) + " is over"});
    it = held_.erase(it);
  }
  return lines;
}

}  // namespace certfleet::issuance
