#include "store/postgres/pg_leader_lock.h"

namespace certfleet::store::postgres {
PgLeaderLock::PgLeaderLock(ConnParams params, std::string name, std::chrono::milliseconds recheck)
    : params_(std::move(params)), name_(std::move(name)), recheck_(recheck) {}

bool PgLeaderLock::Held() {
  std::lock_guard lock(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (checked_at_ && now - *checked_at_ < recheck_) return held_;
  held_ = Check();
  checked_at_ = std::chrono::steady_clock::now();
  return held_;
}

bool PgLeaderLock::Check() {
  if (conn_ && conn_->broken()) conn_.reset();
  if (!conn_) {
    held_ = false;  // the session that held it is gone
    auto conn = PgConnection::Open(params_);
    if (!conn) return false;
    conn_ = std::move(*conn);
  }
  if (!held_) return TryTake();
  if (auto alive = conn_->Exec("SELECT 1", "checking the leader lock's session"); !alive) {
    conn_.reset();
    return false;
  }
  return true;
}

bool PgLeaderLock::TryTake() {
  auto statement =
      conn_->Prepare("SELECT CASE WHEN pg_try_advisory_lock(" + std::to_string(kLeaderLockClass) +
                     ", hashtext(:name)) THEN 1 ELSE 0 END");
  if (!statement) {
    conn_.reset();
    return false;
  }
  statement->BindText(":name", name_);
  auto row = statement->Step();
  if (!row || !*row) {
    conn_.reset();
    return false;
  }
  return statement->Int(0) == 1;
}

}  // namespace certfleet::store::postgres
