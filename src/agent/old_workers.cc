#include "agent/old_workers.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace certfleet::agent {
namespace {

// The inodes of the sockets in state LISTEN (0A) on `port` in one /proc/net/tcp-style table.
void ListeningInodes(const char* table, std::uint16_t port, std::set<std::string>& inodes) {
  std::ifstream in(table);
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
    if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode)) {
      continue;
    }
    const auto colon = local.rfind(':');
    unsigned value = 0;
    if (colon == std::string::npos || state != "0A") continue;
    const auto [end, ec] =
        std::from_chars(local.data() + colon + 1, local.data() + local.size(), value, 16);
    if (ec == std::errc() && value == port && inode != "0") inodes.insert("socket:[" + inode + "]");
  }
}

// Start time (clock ticks since boot) of an nginx worker process, nullopt for anything else.
std::optional<std::uint64_t> WorkerStartTicks(const std::string& pid) {
  std::ifstream cmdline("/proc/" + pid + "/cmdline");
  std::string command;
  std::getline(cmdline, command, '\0');
  if (!command.starts_with("nginx: worker process") ||
      command.find("shutting down") != std::string::npos) {
    return std::nullopt;
  }
  std::ifstream stat_file("/proc/" + pid + "/stat");
  std::string stat;
  if (!std::getline(stat_file, stat)) return std::nullopt;
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(paren + 1));
  std::string field;
  int number = 2;  // fields 1 (pid) and 2 (comm) end at the parenthesis
  while (number < 22 && fields >> field) ++number;
  std::uint64_t ticks = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), ticks);
  if (number != 22 || ec != std::errc()) return std::nullopt;
  return ticks;
}

bool HoldsAny(const std::string& pid, const std::set<std::string>& inodes) {
  const std::string dir = "/proc/" + pid + "/fd";
  DIR* fds = ::opendir(dir.c_str());
  if (fds == nullptr) return false;  // gone, or another user's process
  bool holds = false;
  char target[64];
  while (const dirent* entry = ::readdir(fds)) {
    if (entry->d_name[0] == '.') continue;
    const std::string link = dir + "/" + entry->d_name;
    const ssize_t n = ::readlink(link.c_str(), target, sizeof target - 1);
    if (n > 0 && inodes.count(std::string(target, static_cast<std::size_t>(n))) > 0) {
      holds = true;
      break;
    }
  }
  ::closedir(fds);
  return holds;
}

}  // namespace

std::uint64_t BootTicksNow() {
  struct timespec now {};
  ::clock_gettime(CLOCK_BOOTTIME, &now);
  const auto hz = static_cast<std::uint64_t>(::sysconf(_SC_CLK_TCK));
  return static_cast<std::uint64_t>(now.tv_sec) * hz +
         static_cast<std::uint64_t>(now.tv_nsec) * hz / 1'000'000'000u;
}

std::vector<int> OldWorkersListeningOn(std::uint16_t port, std::uint64_t started_before_ticks) {
  std::set<std::string> inodes;
  ListeningInodes("/proc/net/tcp", port, inodes);
  ListeningInodes("/proc/net/tcp6", port, inodes);
  std::vector<int> old;
  if (inodes.empty()) return old;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return old;
  while (const dirent* entry = ::readdir(proc)) {
    int pid = 0;
    const std::string name = entry->d_name;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    const auto started = WorkerStartTicks(name);
    if (!started || *started >= started_before_ticks) continue;
    if (HoldsAny(name, inodes)) old.push_back(pid);
  }
  ::closedir(proc);
  return old;
}

std::vector<int> WaitForOldWorkersToStopAccepting(std::uint16_t port,
                                                  std::uint64_t started_before_ticks,
                                                  Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto old = OldWorkersListeningOn(port, started_before_ticks);
    if (old.empty() || std::chrono::steady_clock::now() >= deadline) return old;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::optional<std::uint16_t> PortOf(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || address.find(']', colon) != std::string::npos) {
    return std::nullopt;
  }
  unsigned value = 0;
  const auto [end, ec] =
      std::from_chars(address.data() + colon + 1, address.data() + address.size(), value);
  if (ec != std::errc() || end != address.data() + address.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace certfleet::agent
