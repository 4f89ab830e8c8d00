// PgListener: hears the commits of every hub on one PostgreSQL database.
//
// A write that appended events NOTIFYs channel "certfleet_events" with its highest
// revision at COMMIT (pg_database.h). The listener holds its own connection with LISTEN
// on that channel, on its own thread, and calls `on_commit(revision)` for each
// notification — including this process's own, which callers tolerate (a commit listener
// is a wake-up, never a count). When the connection breaks (database restarted) it
// reconnects with backoff (0.1 s doubling to 5 s) and then calls on_commit(0) once, so
// followers re-read whatever they missed.
//
// Thread safe; the destructor stops the thread (within ~0.1 s) and never calls
// on_commit afterwards.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include "store/model.h"
#include "store/postgres/pg_connection.h"

namespace certfleet::store::postgres {

// The NOTIFY channel that carries committed revisions.
inline constexpr const char* kEventsChannel = "certfleet_events";

class PgListener {
 public:
  PgListener(ConnParams params, std::function<void(Revision)> on_commit);
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

  // True while the LISTEN connection is up (for tests and health).
  bool listening() const { return listening_.load(); }

 private:
  void Run();
  // Waits up to ~100 ms for notifications and delivers them; false when the connection broke.
  bool Pump(PgConnection& conn);

  const ConnParams params_;
  const std::function<void(Revision)> on_commit_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> listening_{false};
  std::thread thread_;
};

}  // namespace certfleet::store::postgres
