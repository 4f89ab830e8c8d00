#include "hub/token_cache.h"

namespace certfleet::hub {

bool TokenCache::Trusted(const Entry& e, std::uint64_t revocations, TimePoint now) const {
  // A clock that went back makes the entry's age unknown: not trusted either.
  return e.revocations == revocations && e.verified_at <= now && now - e.verified_at < ttl_;
}

std::optional<store::Token> TokenCache::Find(std::string_view secret_sha256,
                                             std::uint64_t revocations, TimePoint now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(secret_sha256));
  if (it == entries_.end()) return std::nullopt;
  if (!Trusted(it->second, revocations, now)) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.token;
}

void TokenCache::Put(const store::Token& token, std::uint64_t revocations, TimePoint now) {
  if (token.revoked_at || capacity_ == 0) return;
  std::lock_guard lock(mu_);
  if (entries_.size() >= capacity_ && !entries_.contains(token.secret_sha256)) {
    std::erase_if(entries_, [&](const auto& kv) { return !Trusted(kv.second, revocations, now); });
    if (entries_.size() >= capacity_) entries_.clear();
  }
  entries_.insert_or_assign(token.secret_sha256, Entry{token, revocations, now});
}

void TokenCache::Touched(std::string_view secret_sha256, TimePoint at) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(std::string(secret_sha256));
  if (it != entries_.end()) it->second.token.last_used_at = at;
}

std::size_t TokenCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace certfleet::hub
