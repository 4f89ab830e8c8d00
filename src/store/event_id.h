// Event ids: 32 lower-case hex characters, unique for consumer de-duplication (Event::id).
//
// The first 12 characters are the wall-clock milliseconds since the Unix epoch, the other 20
// are random (80 bits), like a UUIDv7. Ids made later sort after ids made at least a
// millisecond earlier, so the store's unique index on events.id grows at its end instead of
// at a random page per event: a batch of reports dirties a handful of index pages, not one
// page per report (issue 16; docs/design/2026-12-07-hub-pass-cost.md). Ids need not be
// secret: nothing is derived from them.
//
// Thread safe; the generator is seeded once per thread from the OS.
#pragma once

#include <chrono>
#include <string>

namespace certfleet::store {

std::string NewEventId();
// The id for an event made at `now` (tests).
std::string NewEventId(std::chrono::system_clock::time_point now);

}  // namespace certfleet::store
