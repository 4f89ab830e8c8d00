#include "store/event_id.h"

#include <array>
#include <cstdint>
#include <random>
#include <string_view>

#include "common/encoding.h"

namespace certfleet::store {

std::string NewEventId() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }()};
  std::array<std::uint64_t, 2> words{rng(), rng()};
  return HexEncode(std::string_view(reinterpret_cast<const char*>(words.data()), 16));
}

}  // namespace certfleet::store
