#include "solver/dns01/txt_snapshot.h"

#include <gtest/gtest.h>

#include <atomic>

#include "solver/dns01/testing/memory_txt_board.h"

namespace certfleet::solver {
namespace {

using std::chrono::milliseconds;

// A loader over a MemoryTxtBoard's records (standing in for the store).
TxtSnapshot::Loader From(const testing::MemoryTxtBoard& board, std::atomic<int>* loads,
                         std::atomic<bool>* failing) {
  return [&board, loads, failing]() -> Result<std::vector<PublishedTxt>> {
    ++*loads;
    if (*failing) return Fail(ErrorCode::kUnavailable, "database is locked");
    std::vector<PublishedTxt> out;
    for (const char* label : {"label-a", "label-b"}) {
      for (const std::string& value : board.Lookup(label)) out.push_back({label, value});
    }
    return out;
  };
}

TEST(TxtSnapshotTest, ALocalPublishIsAnsweredAtOnce) {
  testing::MemoryTxtBoard store;
  std::atomic<int> loads = 0;
  std::atomic<bool> failing = false;
  FakeClock clock;
  TxtSnapshot snapshot(From(store, &loads, &failing), clock, std::chrono::hours(1));
  ASSERT_TRUE(snapshot.Start());
  ReloadingBoard board(store, snapshot);
  ASSERT_TRUE(board.Publish("token-1", "label-a", "digest-1", {}));
  ASSERT_TRUE(board.Publish("token-2", "label-a", "digest-2", {}));
  EXPECT_EQ(snapshot.Lookup("label-a"), (std::vector<std::string>{"digest-1", "digest-2"}));
  ASSERT_TRUE(board.Withdraw("token-1"));
  EXPECT_EQ(snapshot.Lookup("label-a"), (std::vector<std::string>{"digest-2"}));
  EXPECT_TRUE(snapshot.Lookup("label-b").empty());
}

TEST(TxtSnapshotTest, AnotherHubsRecordAppearsWithinTheInterval) {
  testing::MemoryTxtBoard store;
  std::atomic<int> loads = 0;
  std::atomic<bool> failing = false;
  FakeClock clock;
  TxtSnapshot snapshot(From(store, &loads, &failing), clock, milliseconds(20));
  ASSERT_TRUE(snapshot.Start());
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the snapshot never waited for its next reload";
  ASSERT_TRUE(store.Publish("token-9", "label-b", "from-hub-2", {}));  // not through us
  clock.Advance(milliseconds(19));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_TRUE(snapshot.Lookup("label-b").empty()) << "reloaded before the interval was over";
  EXPECT_EQ(loads, 1);
  clock.Advance(milliseconds(1));
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the snapshot did not wait again after its reload";
  EXPECT_EQ(snapshot.Lookup("label-b"), (std::vector<std::string>{"from-hub-2"}));
  EXPECT_EQ(loads, 2);
}

TEST(TxtSnapshotTest, AFailedReloadKeepsTheLastRecords) {
  testing::MemoryTxtBoard store;
  std::atomic<int> loads = 0;
  std::atomic<bool> failing = false;
  ASSERT_TRUE(store.Publish("token-1", "label-a", "digest-1", {}));
  FakeClock clock;
  TxtSnapshot snapshot(From(store, &loads, &failing), clock, std::chrono::hours(1));
  ASSERT_TRUE(snapshot.Start());
  failing = true;
  EXPECT_FALSE(snapshot.Reload());
  EXPECT_EQ(snapshot.Lookup("label-a"), (std::vector<std::string>{"digest-1"}));
}

}  // namespace
}  // namespace certfleet::solver
