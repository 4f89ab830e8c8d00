#include "hub/ui/session_store.h"

#include <algorithm>

#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::hub::ui {
namespace {

std::string RandomHex() { return HexEncode(crypto::RandomBytes(32)); }
std::string KeyOf(std::string_view id) { return HexEncode(crypto::Sha256(id)); }

}  // namespace

SessionStore::SessionStore(Clock& clock, SessionOptions options)
    : clock_(clock), options_(options) {}

Session SessionStore::CreateAnonymous() {
  Session s;
  s.id = RandomHex();
  s.csrf_token = RandomHex();
  s.expires_at = clock_.Now() + options_.anonymous_timeout;
  s.absolute_expiry = s.expires_at;
  std::lock_guard lock(mu_);
  return Insert(std::move(s));
}

Session SessionStore::SignIn(std::string_view previous_id, Principal principal,
                             std::string token_sha256) {
  const TimePoint now = clock_.Now();
  Session s;
  s.id = RandomHex();
  s.csrf_token = RandomHex();
  s.principal = std::move(principal);
  s.token_sha256 = std::move(token_sha256);
  s.absolute_expiry = now + options_.absolute_timeout;
  s.expires_at = std::min(now + options_.idle_timeout, s.absolute_expiry);
  std::lock_guard lock(mu_);
  if (!previous_id.empty()) sessions_.erase(KeyOf(previous_id));
  return Insert(std::move(s));
}

std::optional<Session> SessionStore::Find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const std::string key = KeyOf(id);
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = sessions_.find(key);
  if (it == sessions_.end()) return std::nullopt;
  Session& s = it->second;
  if (now >= s.expires_at) {
    sessions_.erase(it);
    return std::nullopt;
  }
  if (s.signed_in()) s.expires_at = std::min(now + options_.idle_timeout, s.absolute_expiry);
  return s;
}

void SessionStore::Remove(std::string_view id) {
  if (id.empty()) return;
  const std::string key = KeyOf(id);
  std::lock_guard lock(mu_);
  sessions_.erase(key);
}

std::size_t SessionStore::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

Session SessionStore::Insert(Session session) {
  Evict();
  sessions_.emplace(KeyOf(session.id), session);
  return session;
}

void SessionStore::Evict() {
  const TimePoint now = clock_.Now();
  std::erase_if(sessions_, [now](const auto& entry) { return now >= entry.second.expires_at; });
  while (!sessions_.empty() && sessions_.size() >= options_.max_sessions) {
    auto victim =
        std::min_element(sessions_.begin(), sessions_.end(), [](const auto& a, const auto& b) {
          if (a.second.signed_in() != b.second.signed_in()) return !a.second.signed_in();
          return a.second.expires_at < b.second.expires_at;
        });
    sessions_.erase(victim);
  }
}

}  // namespace certfleet::hub::ui
