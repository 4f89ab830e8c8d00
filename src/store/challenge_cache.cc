#include "store/challenge_cache.h"

#include <mutex>

namespace certfleet::store {

void ChallengeCache::Put(const Challenge& c, TimePoint now) {
  std::unique_lock lock(mu_);
  Changed();
  if (!c.pending) {
    entries_.erase(c.token);
    return;
  }
  entries_.insert_or_assign(c.token,
                            Entry{c.key_authorization, c.domain_id, c.expires_at, now + kTrust});
}

std::optional<std::string> ChallengeCache::Find(std::string_view token, TimePoint now) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(token);
  if (it == entries_.end() || it->second.expires_at <= now) return std::nullopt;
  if (it->second.trusted_until <= now) return std::nullopt;
  return it->second.key_authorization;
}

std::uint64_t ChallengeCache::Generation() const {
  std::shared_lock lock(mu_);
  return generation_;
}

void ChallengeCache::FillFromRead(const Challenge& c, TimePoint now, std::uint64_t generation) {
  if (!c.pending || c.expires_at <= now) return;
  std::unique_lock lock(mu_);
  if (generation != generation_) return;  // a write may have finished it meanwhile
  entries_.insert_or_assign(c.token,
                            Entry{c.key_authorization, c.domain_id, c.expires_at, now + kTrust});
}

void ChallengeCache::Erase(std::string_view token) {
  std::unique_lock lock(mu_);
  Changed();
  if (auto it = entries_.find(token); it != entries_.end()) entries_.erase(it);
}

void ChallengeCache::EraseDomain(Id domain_id) {
  std::unique_lock lock(mu_);
  Changed();
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.domain_id == domain_id; });
}

void ChallengeCache::EraseExpired(TimePoint now) {
  std::unique_lock lock(mu_);
  Changed();
  std::erase_if(entries_, [&](const auto& entry) { return entry.second.expires_at <= now; });
}

size_t ChallengeCache::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace certfleet::store
