// The memory fake of every store role: a Store whose tables live in a MemoryDatabase.
//
// Several MemoryStore objects opened on one MemoryDatabase behave like several hubs on
// one database: they share every row, each has its own commit listener (events
// committed through another object are not signalled to this one, as with SQLite and
// PostgreSQL processes). Reopening = opening a new MemoryStore on the same database.
//
// Passes the same contract tests as the SQLite and PostgreSQL backends
// (store/*_contract_test.cc). Thread safe: one mutex per database; every mutating call
// validates everything before it changes anything, so a failed call writes nothing.
// Times are kept with millisecond precision, like the real backends.
//
// Built for tests and the deterministic simulation (issue 20): claims, renewals due,
// unpublished events and due notifications are indexed, so 10,000 domains over two
// simulated years stay cheap; event ids come from a seeded generator (same seed, same
// calls → same ids).
#pragma once

#include <cstdint>
#include <memory>

#include "common/clock.h"
#include "store/store.h"

namespace certfleet::store::testing {

struct MemoryDatabase;

// A fresh, empty database. `seed` seeds the event-id generator.
std::shared_ptr<MemoryDatabase> NewMemoryDatabase(std::uint64_t seed = 1);

// A Store on `database`; `clock` (nullptr = SystemClock) gives created/updated times
// and must outlive the store.
std::unique_ptr<Store> OpenMemoryStore(std::shared_ptr<MemoryDatabase> database,
                                       Clock* clock = nullptr);

}  // namespace certfleet::store::testing
