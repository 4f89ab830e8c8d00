#include "common/scan_registry.h"

#include <map>
#include <mutex>

namespace certfleet {
namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, TimePoint, std::less<>> last_success;
};

Registry& Instance() {
  static Registry* registry = new Registry();  // never destroyed: threads may record at exit
  return *registry;
}

}  // namespace

void RecordScanSuccess(std::string_view scan, TimePoint at) {
  Registry& r = Instance();
  std::lock_guard lock(r.mu);
  auto it = r.last_success.find(scan);
  if (it == r.last_success.end()) {
    r.last_success.emplace(std::string(scan), at);
  } else if (at > it->second) {
    it->second = at;
  }
}

std::vector<std::pair<std::string, TimePoint>> ScanSuccesses() {
  Registry& r = Instance();
  std::lock_guard lock(r.mu);
  return {r.last_success.begin(), r.last_success.end()};
}

}  // namespace certfleet
