// The registry of open sessions (session.h): admission under the connection caps, eviction
// of the longest-idle, and reaching every open session at Stop.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

#include "http/session.h"

namespace certfleet::http {

namespace {

// Claims up to `count` of the oldest-waiting sessions for eviction (requires core.mu) and
// returns them first in `sessions`, followed by the other sessions it had to lock. The
// caller drops them only after releasing core.mu: a session whose last owner this turns
// out to be unregisters itself under core.mu in its destructor. Returns how many it
// claimed.
std::size_t ClaimIdle(ServerCore& core, std::size_t count,
                      std::vector<std::shared_ptr<Session>>& sessions) {
  std::vector<std::pair<std::int64_t, std::shared_ptr<Session>>> idle;
  for (auto& [raw, weak] : core.sessions) {
    const std::int64_t since = raw->waiting_since();
    if (since == 0) continue;
    if (auto session = weak.lock()) idle.emplace_back(since, std::move(session));
  }
  const std::size_t n = std::min(count, idle.size());
  std::partial_sort(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(n), idle.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
  std::size_t claimed = 0;
  for (std::size_t i = 0; i < idle.size(); ++i) {
    if (i < n && idle[i].second->ClaimForEviction(idle[i].first)) {
      sessions.insert(sessions.begin() + static_cast<std::ptrdiff_t>(claimed++),
                      std::move(idle[i].second));
    } else {
      sessions.push_back(std::move(idle[i].second));
    }
  }
  return claimed;
}

// How many idle connections one eviction round closes (nginx drains 32 at a time too):
// the accept after a full round needs no new scan.
constexpr std::size_t kEvictBatch = 32;

}  // namespace

bool AdmitSession(ServerCore& core, const std::shared_ptr<Session>& session,
                  std::vector<std::shared_ptr<Session>>& locked, std::size_t* evict) {
  const std::string& address = session->remote_address();
  const std::size_t per_address_cap = core.options.max_connections_per_address;
  std::size_t& from_address = core.per_address[address];
  if (per_address_cap > 0 && from_address >= per_address_cap) {
    if (from_address == 0) core.per_address.erase(address);
    if (std::size_t n = core.address_cap_log.Pass()) {
      spdlog::warn(
          "{}: refusing a connection from {}: it has {} open, the per-address limit "
          "(max_connections_per_address); {} refused since the last warning",
          core.options.name, address, per_address_cap, n);
    }
    return false;
  }
  // Connections already asked to close for room do not count: each round closes a batch,
  // and the next round starts only when the batch is spent.
  if (core.sessions.size() - core.evicting >= core.max_connections) {
    *evict = ClaimIdle(core, kEvictBatch, locked);
    if (std::size_t n = core.global_cap_log.Pass()) {
      spdlog::warn(
          "{}: {} connections open, the limit (max_connections, within the open-file "
          "limit); {} {} since the last warning",
          core.options.name, core.sessions.size(), n,
          *evict == 0 ? "new connections refused (none idle to close)"
                      : "times the longest-idle connections were closed to make room");
    }
    if (*evict == 0) {
      if (from_address == 0) core.per_address.erase(address);
      return false;
    }
  }
  ++from_address;
  core.sessions.emplace(session.get(), session);
  session->MarkRegistered();
  return true;
}

std::size_t EvictIdleSessions(ServerCore& core, std::size_t count) {
  std::vector<std::shared_ptr<Session>> locked;  // released only outside core.mu
  std::size_t evict = 0;
  {
    std::lock_guard lock(core.mu);
    evict = ClaimIdle(core, count, locked);
  }
  for (std::size_t i = 0; i < evict; ++i) locked[i]->Evict();
  return evict;
}

namespace {

// The sessions still alive, taken under the lock and acted on outside it.
std::vector<std::shared_ptr<Session>> OpenSessions(ServerCore& core) {
  std::vector<std::shared_ptr<Session>> open;
  std::lock_guard lock(core.mu);
  for (auto& [raw, weak] : core.sessions) {
    if (auto session = weak.lock()) open.push_back(std::move(session));
  }
  return open;
}

}  // namespace

void ShutdownSessions(ServerCore& core) {
  for (auto& session : OpenSessions(core)) session->Shutdown();
}

void AbandonSessions(ServerCore& core) {
  for (auto& session : OpenSessions(core)) session->AbandonDeferred();
}

}  // namespace certfleet::http
