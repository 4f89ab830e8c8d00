// LeaderLock: at most one hub process per database does a given singleton job at a time
// (relaying the outbox to RabbitMQ, delivering notifications, the periodic scans), with
// failover when the holder dies (issue 14: "exactly one hub relays the outbox at a time").
//
//   auto lock = store::OpenPostgresLeaderLock(options, "outbox-relay");
//   relay_options.is_leader = [&] { return lock->Held(); };
//
// The lock is held for as long as the holder's process (and its database session) lives:
// a SIGKILLed or partitioned hub loses it when the database notices the session is gone,
// and the next hub to ask takes it. A holder can learn it lost the lock only on its next
// Held() call, so a job must ask before each round and tolerate a round done twice
// around a failover (the relay and the notifier are at-least-once anyway).
//
// SQLite has one hub per database: it needs no lock (callers pass no predicate).
//
// Thread safety: Held() may be called from any thread.
#pragma once

#include <string>

namespace certfleet::store {

class LeaderLock {
 public:
  virtual ~LeaderLock() = default;

  // True while this process holds the lock; when it does not, tries to take it. Costs at
  // most one database round trip (answers are reused for a short interval) and never
  // blocks longer than the connect timeout. False while the database is unreachable.
  virtual bool Held() = 0;

  // The lock's name, for logs and /healthz.
  virtual const std::string& name() const = 0;
};

}  // namespace certfleet::store
