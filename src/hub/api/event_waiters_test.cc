#include "hub/api/event_waiters.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness/net.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub::api {
namespace {

// The store's outbox, with reads of the event log that can be held: all of them until
// Open(), and those after revision `hold_after` until Release().
class GatedOutbox final : public store::Outbox {
 public:
  explicit GatedOutbox(store::Outbox& real) : real_(real) {}
  void Open(store::Revision hold_after) {
    std::lock_guard lock(mu_);
    open_ = true;
    hold_after_ = hold_after;
    cv_.notify_all();
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

  Result<std::vector<store::Event>> ListEventsSince(store::Revision since,
                                                    std::int64_t limit) override {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return released_ || (open_ && since < hold_after_); });
    }
    ++reads;
    return real_.ListEventsSince(since, limit);
  }
  Result<store::Event> AppendEvent(const store::Actor& a, const store::Event& e) override {
    return real_.AppendEvent(a, e);
  }
  Result<store::Revision> MaxRevision() override { return real_.MaxRevision(); }
  Result<std::vector<store::Event>> ListUnpublishedEvents(std::int64_t limit) override {
    return real_.ListUnpublishedEvents(limit);
  }
  Status MarkEventsPublished(const std::vector<store::Revision>& r, TimePoint at) override {
    return real_.MarkEventsPublished(r, at);
  }
  void SetCommitListener(std::function<void(store::Revision)> l) override {
    real_.SetCommitListener(std::move(l));
  }
  Result<store::Revision> GetCursor(std::string_view c) override { return real_.GetCursor(c); }
  Status SetCursor(std::string_view c, store::Revision r) override { return real_.SetCursor(c, r); }

  std::atomic<int> reads{0};  // ListEventsSince calls that went through

 private:
  store::Outbox& real_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  bool released_ = false;
  store::Revision hold_after_ = 0;
};

constexpr Duration kPoll = std::chrono::seconds(1);

class EventWaitersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::OpenSqliteStore({.path = (dir_.path() / "hub.db").string()});
    ASSERT_TRUE(store) << store.error().message;
    store_ = std::move(*store);
  }
  void Start(std::size_t window_events = EventWaiters::kWindowEvents,
             store::Outbox* outbox = nullptr, Duration poll = kPoll) {
    waiters_ =
        std::make_unique<EventWaiters>(outbox ? *outbox : *store_, clock_, poll, window_events);
    store_->SetCommitListener([w = waiters_.get()](store::Revision r) { w->OnCommit(r); });
  }
  void TearDown() override {
    if (store_) store_->SetCommitListener(nullptr);
    if (waiters_) waiters_->Stop();
  }
  http::Responder Wait(const std::string& subject, std::vector<std::string> types = {}) {
    return WaitSince(store_->MaxRevision().value(), subject, std::move(types));
  }
  http::Responder WaitSince(store::Revision since, const std::string& subject,
                            std::vector<std::string> types = {}) {
    http::Responder r = http::Responder::Detached();
    waiters_->Add({since, {subject, std::move(types)}, 100, r});
    return r;
  }
  store::Revision Append(const std::string& type, const std::string& subject) {
    store::Event e;
    e.type = type;
    e.subject = subject;
    auto appended = store_->AppendEvent({"test"}, e);
    EXPECT_TRUE(appended) << appended.error().message;
    return appended ? appended->revision : 0;
  }
  static std::vector<std::string> Types(const http::Responder& r) {
    std::vector<std::string> out;
    if (!r.Sent()) return out;
    const auto page = nlohmann::json::parse(r.Sent()->body);
    for (const auto& e : page["events"]) out.push_back(e["type"]);
    return out;
  }

  // The dispatcher waits on it: a test moves it by a poll period instead of sleeping.
  FakeClock clock_;
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
  // A poll later the dispatcher has read both reports and waits again.
  clock_.Advance(kPoll);
  ASSERT_TRUE(clock_.AwaitWaiters(1)) << "the dispatcher did not wait again";
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

// Issue 16: an agent registers its watch after every pass; with nothing committed since its
// read, that must not make the dispatcher read the store.
TEST_F(EventWaitersTest, RegisteringAfterAnUpToDateReadDoesNotReadTheStore) {
  GatedOutbox outbox(*store_);
  outbox.Release();
  Start(EventWaiters::kWindowEvents, &outbox, /*poll=*/std::chrono::seconds(60));
  auto x = Wait("machine:x");
  Append("machine.desired_changed", "machine:x");  // the dispatcher reads this commit once
  ASSERT_TRUE(harness::WaitFor([&] { return x.Done(); }, std::chrono::seconds(5)));
  const int before = outbox.reads;
  std::vector<http::Responder> waiting;
  for (int i = 0; i < 100; ++i) waiting.push_back(Wait("machine:m" + std::to_string(i)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(outbox.reads, before) << "100 registrations read the store";
  Append("machine.desired_changed", "machine:m7");
  ASSERT_TRUE(harness::WaitFor([&] { return waiting[7].Done(); }, std::chrono::seconds(5)))
      << "the next commit looks at the waiters registered since the last look";
  EXPECT_EQ(Types(waiting[7]), std::vector<std::string>{"machine.desired_changed"});
  EXPECT_FALSE(waiting[8].Done());
  waiters_->Stop();  // before `outbox` goes
}

TEST_F(EventWaitersTest, ACommitBetweenTheReadAndTheRegistrationAnswersAtOnce) {
  Start(EventWaiters::kWindowEvents, nullptr, /*poll=*/std::chrono::seconds(60));
  const store::Revision read_at = store_->MaxRevision().value();
  Append("machine.desired_changed", "machine:a");  // committed after the caller's read
  auto a = WaitSince(read_at, "machine:a");
  EXPECT_TRUE(harness::WaitFor([&] { return a.Done(); }, std::chrono::seconds(5)))
      << "the commit it missed must answer it without waiting for the next commit or poll";
  EXPECT_EQ(Types(a), std::vector<std::string>{"machine.desired_changed"});
}

// Issue 16: one upload for a domain on 10,000 machines appends 10,000 events. The watchers of
// the first batch read are answered before the next batch is read, not after the last.
TEST_F(EventWaitersTest, TheFirstBatchIsAnsweredBeforeTheNextIsRead) {
  GatedOutbox outbox(*store_);
  Start(EventWaiters::kWindowEvents, &outbox);
  auto first = Wait("machine:first");
  auto late = Wait("machine:late");
  const store::Revision first_event = Append("machine.desired_changed", "machine:first");
  for (int i = 0; i < 1200; ++i) Append("machine.desired_changed", "machine:other");
  Append("machine.desired_changed", "machine:late");
  outbox.Open(/*hold_after=*/first_event);  // the first read passes, the second is held
  const bool answered = harness::WaitFor([&] { return first.Done(); }, std::chrono::seconds(10));
  const bool late_early = late.Done();
  outbox.Release();
  EXPECT_TRUE(answered) << "the first batch's watcher waited for the rest of the events";
  EXPECT_FALSE(late_early) << "its event was not read yet";
  EXPECT_TRUE(harness::WaitFor([&] { return late.Done(); }, std::chrono::seconds(10)));
  waiters_->Stop();  // before `outbox` goes
}

}  // namespace
}  // namespace certfleet::hub::api
