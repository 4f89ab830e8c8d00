// Event ids (store/event_id.h): the shape consumers de-duplicate by, and the time order that
// keeps the store's unique index on events.id growing at its end.
#include "store/event_id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace certfleet::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

TEST(EventId, IsThirtyTwoLowerCaseHexCharacters) {
  const std::string id = NewEventId();
  ASSERT_EQ(id.size(), 32u) << id;
  EXPECT_TRUE(std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << id;
}

TEST(EventId, IdsMadeInTheSameMillisecondAreStillUnique) {
  const auto now = system_clock::now();
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(NewEventId(now));
  EXPECT_EQ(ids.size(), 10000u) << "80 random bits after the time must tell them apart";
}

TEST(EventId, AnIdMadeAMillisecondLaterSortsAfter) {
  const auto now = system_clock::now();
  for (int i = 0; i < 1000; ++i) {
    const std::string earlier = NewEventId(now + milliseconds(i));
    const std::string later = NewEventId(now + milliseconds(i + 1));
    ASSERT_LT(earlier, later) << "ids must grow with time so the unique index is appended to";
  }
}

TEST(EventId, StartsWithTheMillisecondsSinceTheEpochInHex) {
  const system_clock::time_point at{milliseconds(0x0123456789ab)};
  EXPECT_EQ(NewEventId(at).substr(0, 12), "0123456789ab");
}

}  // namespace
}  // namespace certfleet::store
