#include "store/event_id.h"

#include <algorithm>
#include <cstdint>
#include <random>

namespace certfleet::store {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// Writes the low `digits` hex digits of `value` into `out`, most significant first.
void PutHex(std::uint64_t value, int digits, char* out) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
}

}  // namespace

std::string NewEventId(std::chrono::system_clock::time_point now) {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::string id(32, '0');
  PutHex(static_cast<std::uint64_t>(std::max<std::int64_t>(millis, 0)), 12, id.data());
  PutHex(rng(), 16, id.data() + 12);
  PutHex(rng(), 4, id.data() + 28);
  return id;
}

std::string NewEventId() { return NewEventId(std::chrono::system_clock::now()); }

}  // namespace certfleet::store
