// ChallengeCache: pending HTTP-01 challenges in memory, so the responder's hot path
// (GET /.well-known/acme-challenge/{token}, thousands per second when a CA or a load test
// asks) needs no database round trip.
//
// An entry is a challenge the store committed as pending (Put) or that the database just
// returned as pending (FillFromRead). It is answered for kTrust after that moment; then
// the database is asked again. Writes through the store erase entries in the same critical
// section as the commit that finishes, replaces, expires or deletes them, so a challenge
// finished through this store is never answered after that call returned. A challenge
// finished by another process on the same database stops being answered within kTrust.
// A read fills the cache only if no write touched it since the read began (Generation),
// so a read racing a FinishChallenge cannot re-insert a finished challenge. A miss says
// nothing: the store then asks the database.
//
// Thread safety: all methods may be called concurrently (a shared mutex; lookups share it).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "store/model.h"

namespace certfleet::store {

class ChallengeCache {
 public:
  // How long an entry is answered without asking the database again.
  static constexpr Duration kTrust = std::chrono::seconds(1);

  // Remembers a challenge the store committed at `now`; a non-pending one is erased.
  void Put(const Challenge& c, TimePoint now);
  // The key authorization when `token` is cached, expires after `now` and was written or
  // read less than kTrust before `now`.
  std::optional<std::string> Find(std::string_view token, TimePoint now) const;
  // Changes with every write (Put, Erase*); read it before a database look-up.
  std::uint64_t Generation() const;
  // Caches a pending challenge read from the database at `now`, unless a write happened
  // since `generation` was read.
  void FillFromRead(const Challenge& c, TimePoint now, std::uint64_t generation);
  void Erase(std::string_view token);
  // After a domain (and by cascade its challenges) was deleted.
  void EraseDomain(Id domain_id);
  // Drops entries that expire at or before `now`.
  void EraseExpired(TimePoint now);
  size_t size() const;

 private:
  struct Entry {
    std::string key_authorization;
    Id domain_id = 0;
    TimePoint expires_at{};
    TimePoint trusted_until{};
  };
  void Changed() { ++generation_; }  // with mu_ held exclusively

  mutable std::shared_mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace certfleet::store
