#include "dns/resolv_conf.h"

#include <sstream>

#include "common/atomic_file.h"

namespace certfleet::dns {

Result<ServerAddress> SystemResolver(const std::filesystem::path& file) {
  auto text = ReadFile(file, 64 * 1024);
  if (!text) return Fail(text.error().WithContext("reading the system resolver"));
  std::istringstream lines(*text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string keyword, address;
    if (!(words >> keyword >> address) || keyword != "nameserver") continue;
    if (auto parsed = ParseServerAddress(address)) return *parsed;
  }
  return Fail(ErrorCode::kNotFound,
              file.string() + " names no nameserver; configure a DNS resolver explicitly");
}

}  // namespace certfleet::dns
