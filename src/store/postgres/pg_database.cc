#include "store/postgres/pg_database.h"

#include <chrono>
#include <random>
#include <thread>

#include "store/postgres/pg_leader_lock.h"

namespace certfleet::store::postgres {
namespace {

constexpr int kMaxWriteAttempts = 30;
// pg_advisory_xact_lock key of the event order ("cfev").
constexpr const char* kEventOrderLock = "SELECT pg_advisory_xact_lock(1667655286)";

void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const unsigned cap = std::min(50U, 1U << std::min(attempt, 6));
  std::this_thread::sleep_for(std::chrono::milliseconds(1 + rng() % cap));
}

// Ends whatever transaction `conn` is in, on every exit path.
struct RollbackGuard {
  PgConnection& conn;
  ~RollbackGuard() {
    if (!conn.broken() && conn.InTransaction()) (void)conn.Exec("ROLLBACK", "rolling back");
  }
};

}  // namespace

PgDatabase::PgDatabase(ConnParams params, std::string describe, int connections)
    : params_(std::move(params)),
      describe_(std::move(describe)),
      max_connections_(std::max(1, connections)) {}

PgDatabase::~PgDatabase() { listener_.reset(); }

void PgDatabase::FollowCommits(std::function<void(Revision)> on_commit) {
  listener_ = std::make_unique<PgListener>(params_, std::move(on_commit));
}

Result<std::unique_ptr<PgConnection>> PgDatabase::Connect() const {
  auto conn = PgConnection::Open(params_);
  if (!conn) return Fail(conn.error().WithContext("connecting to " + describe_));
  return conn;
}

Result<std::unique_ptr<PgConnection>> PgDatabase::Acquire() {
  {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_connections_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (!conn->broken()) return conn;
      --open_;  // replaced below
    }
    ++open_;
  }
  auto conn = Connect();
  if (!conn) {
    std::lock_guard lock(mu_);
    --open_;
    cv_.notify_one();
  }
  return conn;
}

void PgDatabase::Release(std::unique_ptr<PgConnection> conn) {
  std::lock_guard lock(mu_);
  if (conn->broken() || conn->InTransaction()) {
    --open_;  // dropped; the next Acquire opens a fresh one
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

Status PgDatabase::WriteOnce(PgConnection& conn,
                             const std::function<Status(sql::Connection&)>& body,
                             const std::function<void()>& on_commit, bool& retry) {
  RollbackGuard guard{conn};
  conn.ClearLastError();
  if (auto s = conn.Exec("BEGIN ISOLATION LEVEL SERIALIZABLE", "starting a write"); !s) {
    retry = conn.broken();
    return s;
  }
  Status s = body(conn);
  if (!s) {
    retry = conn.LastErrorIsRetryable() || conn.broken();
    return s;
  }
  if (auto c = conn.Exec("COMMIT", "committing"); !c) {
    retry = conn.LastErrorIsRetryable();  // a lost connection here: outcome unknown
    return c;
  }
  if (on_commit) on_commit();
  return Ok();
}

Status PgDatabase::RunWrite(const std::function<Status(sql::Connection&)>& body,
                            const std::function<void()>& on_commit) {
  Status last = Ok();
  for (int attempt = 1; attempt <= kMaxWriteAttempts; ++attempt) {
    auto conn = Acquire();
    if (!conn) return Fail(conn.error());
    bool retry = false;
    struct Returner {
      PgDatabase& db;
      std::unique_ptr<PgConnection>& conn;
      ~Returner() { db.Release(std::move(conn)); }
    } returner{*this, *conn};
    last = WriteOnce(**conn, body, on_commit, retry);
    if (last || !retry) return last;
    Backoff(attempt);
  }
  return Fail(
      last.error().WithContext("gave up after " + std::to_string(kMaxWriteAttempts) + " attempts"));
}

Status PgDatabase::RunRead(const std::function<Status(sql::Connection&)>& body) {
  Status last = Ok();
  for (int attempt = 1; attempt <= 2; ++attempt) {
    auto conn = Acquire();
    if (!conn) return Fail(conn.error());
    struct Returner {
      PgDatabase& db;
      std::unique_ptr<PgConnection>& conn;
      ~Returner() { db.Release(std::move(conn)); }
    } returner{*this, *conn};
    RollbackGuard guard{**conn};
    last = (*conn)->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a read");
    if (last) last = body(**conn);
    if (last) last = (*conn)->Exec("COMMIT", "ending a read");
    // A connection that died while idle in the pool (server restarted) gets one retry.
    if (last || !(*conn)->broken()) return last;
  }
  return last;
}

Status PgDatabase::BeforeFirstEvent(sql::Connection& conn) {
  return conn.Exec(kEventOrderLock, "ordering the events");
}

Status PgDatabase::BeforeCommitWithEvents(sql::Connection& conn, Revision max_revision) {
  return conn.Exec("SELECT pg_notify('" + std::string(kEventsChannel) + "', '" +
                       std::to_string(max_revision) + "')",
                   "signalling the commit");
}

// A hub's issuance worker holds a session advisory lock named after its id (the worker's
// liveness lock, issuance/worker.h) for as long as its process lives; lease owners are
// "<worker id>/<slot>". An owner in the worker-id format ("w-" and 16 hex digits) whose lock
// is not held on this database is dead: its process was killed or lost its session, which
// PostgreSQL notices when the socket closes. Its orders are taken over at once instead of
// after the lease (fencing still holds: a worker that merely lost its session finds its
// lease gone at its next write). Owners in other formats keep the plain lease rules.
std::string_view PgDatabase::DeadLeaseOwnerCondition() const {
  static const std::string condition =
      "(lease_owner ~ '^w-[0-9a-f]{16}/' AND (hashtext(split_part(lease_owner, '/', 1))::bigint "
      "& 4294967295) NOT IN (SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' "
      "AND granted AND objsubid = 2 AND classid = " +
      std::to_string(kLeaderLockClass) +
      " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())))";
  return condition;
}

}  // namespace certfleet::store::postgres
