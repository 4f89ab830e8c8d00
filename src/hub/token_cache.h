// TokenCache: API tokens this hub verified recently, by the SHA-256 of their secret, so an
// agent's pass (watch, desired state, certificate, report: five verifications with the
// report's body admission) reads the tokens table once instead of five times (issue 16).
//
// When an entry is trusted (docs/design/2026-12-07-hub-pass-cost.md):
// - never after this hub ended a token: each entry remembers the store's
//   TokenRevocations() count read *before* the store lookup that filled it, and is dropped
//   once the count moved. Every path that revokes or deletes a token here (API, web UI,
//   rotation, machine deletion) commits through the store, which counts it before the
//   call returns, so a revoked token is refused from the very next request on.
// - for at most `ttl` after its store lookup: revocations committed by other hub replicas
//   on the same PostgreSQL reach this hub within that bound.
// - only for tokens the store called valid: unknown and revoked tokens are not cached.
//
// Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"
#include "store/model.h"

namespace certfleet::hub {

class TokenCache {
 public:
  static constexpr Duration kDefaultTtl = std::chrono::seconds(5);
  static constexpr std::size_t kDefaultCapacity = 100'000;

  explicit TokenCache(Duration ttl = kDefaultTtl, std::size_t capacity = kDefaultCapacity)
      : ttl_(ttl), capacity_(capacity) {}

  // The token verified for `secret_sha256`, if an entry is still trusted at `now` given
  // the store's current revocation count `revocations`.
  std::optional<store::Token> Find(std::string_view secret_sha256, std::uint64_t revocations,
                                   TimePoint now);
  // Remembers a valid token read at `now`; `revocations` is the count read before the
  // store lookup. At capacity the expired entries go first, then all of them.
  void Put(const store::Token& token, std::uint64_t revocations, TimePoint now);
  // Notes the token's last use as written to the store (the Authenticator writes it at
  // most once a minute).
  void Touched(std::string_view secret_sha256, TimePoint at);

  std::size_t size() const;

 private:
  struct Entry {
    store::Token token;
    std::uint64_t revocations = 0;
    TimePoint verified_at;
  };
  bool Trusted(const Entry& e, std::uint64_t revocations, TimePoint now) const;

  const Duration ttl_;
  const std::size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace certfleet::hub
