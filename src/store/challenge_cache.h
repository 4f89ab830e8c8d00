// ChallengeCache: the pending HTTP-01 challenges this process has written, in memory, so
// the responder's hot path (GET /.well-known/acme-challenge/{token}, thousands per second
// when a CA or a load test asks) needs no database round trip.
//
// It is a write-through cache of one store object: the store puts a challenge here after
// committing it as pending and erases it in the same critical section as the commit that
// finishes, deletes or replaces it, so a hit is always a challenge the database holds as
// pending, and a challenge finished through the store is never served again. It is never
// filled from reads: a read racing a FinishChallenge could otherwise re-insert a finished
// challenge. A miss therefore says nothing; the store then asks the database (challenges
// written before a restart, or by another process).
//
// Thread safety: all methods may be called concurrently (a shared mutex; lookups share it).
#pragma once

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
  // Remembers a challenge the store committed; a non-pending one is erased instead.
  void Put(const Challenge& c);
  // The key authorization when `token` is cached and expires after `now`.
  std::optional<std::string> Find(std::string_view token, TimePoint now) const;
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
  };
  mutable std::shared_mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace certfleet::store
