#include "http/connection_limits.h"

#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <utility>

#include "http/server.h"

namespace certfleet::http {

std::size_t EffectiveMaxConnections(std::size_t configured, std::size_t reserve) {
  rlimit limit{};
  std::size_t by_files = SIZE_MAX;
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const auto soft = static_cast<std::size_t>(limit.rlim_cur);
    by_files = soft > reserve ? soft - reserve : 0;
  }
  const std::size_t wanted = configured == 0 ? SIZE_MAX : configured;
  return std::max<std::size_t>(16, std::min(wanted, by_files));
}

std::size_t LogLimiter::Pass() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  ++count_;
  if (passed_once_ && now - last_ < interval_) return 0;
  passed_once_ = true;
  last_ = now;
  return std::exchange(count_, 0);
}

std::size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  return limit.rlim_cur == RLIM_INFINITY ? SIZE_MAX : static_cast<std::size_t>(limit.rlim_cur);
}

bool PeerHasClosed(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  if (::poll(&p, 1, 0) <= 0) return false;
  return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

}  // namespace certfleet::http
