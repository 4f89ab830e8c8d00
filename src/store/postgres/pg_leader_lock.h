// PgLeaderLock: store::LeaderLock on a PostgreSQL session advisory lock.
//
// The lock lives on a connection of its own (not from the store's pool): taking it is
// pg_try_advisory_lock(class, hashtext(name)), never waiting; while held, each check is a
// `SELECT 1` on that connection, and a broken connection means the lock is lost (the
// server released it with the session). After a loss the next Held() reconnects and
// tries again, so failover needs no lease clock: PostgreSQL ends a dead hub's session when
// its socket closes (at once for a killed process, after TCP keepalives for a lost host).
//
// Answers are reused for `recheck` so callers may ask before every round of work.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "store/leader_lock.h"
#include "store/postgres/pg_connection.h"

namespace certfleet::store::postgres {

// The first key of the two-key advisory lock space PgLeaderLock uses, "cf" + 1: distinct
// from the single-key locks the migrations and the event order take. The claim query reads
// it too (PgDatabase::DeadLeaseOwnerClause).
inline constexpr int kLeaderLockClass = 0x63660001;

class PgLeaderLock final : public LeaderLock {
 public:
  PgLeaderLock(ConnParams params, std::string name,
               std::chrono::milliseconds recheck = std::chrono::milliseconds(500));

  bool Held() override;
  const std::string& name() const override { return name_; }

 private:
  bool Check();    // one round trip; mu_ held
  bool TryTake();  // pg_try_advisory_lock on conn_; mu_ held

  const ConnParams params_;
  const std::string name_;
  const std::chrono::milliseconds recheck_;
  std::mutex mu_;
  std::unique_ptr<PgConnection> conn_;
  bool held_ = false;
  std::optional<std::chrono::steady_clock::time_point> checked_at_;
};

}  // namespace certfleet::store::postgres
