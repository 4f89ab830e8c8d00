// Reconnect backoff for the bus: min, 2·min, 4·min … capped at max. Pure; thread-safe.
#pragma once

#include <algorithm>

#include "common/clock.h"

namespace certfleet::bus {

// The wait after `failures` consecutive failures (failures ≥ 1; 0 → 0).
inline Duration BackoffDelay(int failures, Duration min, Duration max) {
  if (failures <= 0) return Duration::zero();
  Duration delay = min;
  for (int i = 1; i < failures && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

}  // namespace certfleet::bus
