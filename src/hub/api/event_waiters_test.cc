#include "hub/api/event_waiters.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "harness/net.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub::api {
namespace {

class EventWaitersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenSqliteStore({.path = (dir_.path() / "hub.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void Start(std::size_t window_events = EventWaiters::kWindowEvents) {
    waiters_ = std::make_unique<EventWaiters>(*store_, std::chrono::seconds(1), window_events);
    store_->SetCommitListener([w = waiters_.get()](store::Revision r) { w->OnCommit(r); });
  }
  void TearDown() override {
    if (store_) store_->SetCommitListener(nullptr);
    if (waiters_) waiters_->Stop();
  }
  http::Responder Wait(const std::string& subject, std::vector<std::string> types = {}) {
    http::Responder r = http::Responder::Detached();
    waiters_->Add({store_->MaxRevision().value(), {subject, std::move(types)}, 100, r});
    return r;
  }
  void Append(const std::string& type, const std::string& subject) {
    store::Event e;
    e.type = type;
    e.subject = subject;
    ASSERT_TRUE(store_->AppendEvent({"test"}, e));
  }
  static std::vector<std::string> Types(const http::Responder& r) {
    std::vector<std::string> out;
    if (!r.Sent()) return out;
    const auto page = nlohmann::json::parse(r.Sent()->body);
    for (const auto& e : page["events"]) out.push_back(e["type"]);
    return out;
  }

  harness::TempDir dir_{"hub-event-waiters"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<EventWaiters> waiters_;
};

TEST_F(EventWaitersTest, AnEventAnswersOnlyTheWaitersOfItsSubject) {
  Start();
  auto a = Wait("machine:a");
  auto b = Wait("machine:b");
  auto all = Wait("");
  Append("machine.desired_changed", "machine:a");
  ASSERT_TRUE(harness::WaitFor([&] { return a.Done() && all.Done(); }, std::chrono::seconds(5)));
  EXPECT_EQ(Types(a), std::vector<std::string>{"machine.desired_changed"});
  EXPECT_EQ(Types(all), std::vector<std::string>{"machine.desired_changed"});
  EXPECT_FALSE(b.Done()) << "machine b has no event";
  EXPECT_EQ(waiters_->WaitingCount(), 1u);
}

TEST_F(EventWaitersTest, ATypeFilterKeepsWaitingPastOtherTypes) {
  Start();
  auto a = Wait("machine:a", {"machine.desired_changed"});
  Append("deployment.reported", "machine:a");
  Append("deployment.reported", "machine:a");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(a.Done()) << "its own reports do not answer it";
  Append("machine.desired_changed", "machine:a");
  ASSERT_TRUE(harness::WaitFor([&] { return a.Done(); }, std::chrono::seconds(5)));
  EXPECT_EQ(Types(a), std::vector<std::string>{"machine.desired_changed"});
}

TEST_F(EventWaitersTest, MoreEventsThanTheWindowHoldsStillReachEveryone) {
  Start(/*window_events=*/4);
  std::vector<http::Responder> waiting;
  for (int i = 0; i < 10; ++i) waiting.push_back(Wait("machine:m" + std::to_string(i)));
  // One change, ten machines: more events at once than the window keeps.
  for (int i = 0; i < 10; ++i) Append("machine.desired_changed", "machine:m" + std::to_string(i));
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        return std::all_of(waiting.begin(), waiting.end(),
                           [](const http::Responder& r) { return r.Done(); });
      },
      std::chrono::seconds(10)));
  for (const auto& r : waiting) EXPECT_EQ(Types(r).size(), 1u);
}

TEST_F(EventWaitersTest, ThousandsOfWaitersAreAnsweredByOneCommitEach) {
  Start();
  constexpr int kMachines = 2000;
  std::vector<http::Responder> waiting;
  for (int i = 0; i < kMachines; ++i) waiting.push_back(Wait("machine:m" + std::to_string(i)));
  // Every machine's own report (a commit each) must not cost a look at everyone.
  for (int i = 0; i < kMachines; i += 10) Append("deployment.reported", "machine:m0");
  for (int i = 0; i < kMachines; ++i)
    Append("machine.desired_changed", "machine:m" + std::to_string(i));
  ASSERT_TRUE(harness::WaitFor(
      [&] {
        return std::all_of(waiting.begin(), waiting.end(),
                           [](const http::Responder& r) { return r.Done(); });
      },
      std::chrono::seconds(20)));
  EXPECT_EQ(waiters_->WaitingCount(), 0u);
}

}  // namespace
}  // namespace certfleet::hub::api
