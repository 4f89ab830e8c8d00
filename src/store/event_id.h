// Event ids: 32 random hex characters, unique for consumer de-duplication (Event::id).
// Thread safe; the generator is seeded once per thread from the OS. Ids only need to be
// unique, not secret.
#pragma once

#include <string>

namespace certfleet::store {

std::string NewEventId();

}  // namespace certfleet::store
