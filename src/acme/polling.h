// Polling policy for pending ACME resources (RFC 8555 §7.5.1, §7.4): when to ask again.
//
// A pure function of the attempt number, the server's Retry-After and the clock, so it
// is tested without servers. The policy: honour Retry-After when the CA sends one
// (capped); otherwise start very short (Pebble with PEBBLE_VA_NOSLEEP validates within
// milliseconds) and double up to a cap, so a slow CA is not hammered. Never a fixed
// multi-second sleep. An overall deadline bounds the whole wait.
#pragma once

#include <optional>

#include "common/clock.h"

namespace certfleet::acme {

struct PollPolicy {
  // 2 ms, then ×1.5: Pebble (PEBBLE_VA_NOSLEEP) validates a challenge in ~3-5 ms and issues
  // a certificate in ~1-2 ms, so polls at 2, 5, 10, 18, 30, 48 ms... end a few ms after the CA
  // is done (doubling, at 2, 6, 14, 30 ms, overshot by up to 8 ms per wait); a slow CA such as
  // Let's Encrypt (~1 s) costs only a few extra polls before the delays reach the cap.
  Duration first_delay{2};
  double growth_factor = 1.5;  // > 1; each delay is rounded up to a whole millisecond
  Duration max_delay{1500};
  Duration max_retry_after{std::chrono::seconds(60)};  // caps a CA's Retry-After
  Duration deadline{std::chrono::minutes(3)};          // total wait for one resource
};

// The delay before poll number `attempt` (0 = the first poll after the request that
// started the wait), or nullopt when the deadline (measured from `started`) has passed.
// The delay never runs past the deadline, so one last poll happens at the deadline.
std::optional<Duration> NextPollDelay(const PollPolicy& policy, int attempt,
                                      std::optional<Duration> retry_after, TimePoint started,
                                      TimePoint now);

}  // namespace certfleet::acme
