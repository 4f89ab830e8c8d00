#include "bus/outbox_relay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>

#include "bus/testing/fake_publisher.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;

// The relay waits on a FakeClock: a test moves time by whole poll or backoff periods and
// then waits (clock.AwaitWaiters) until the relay has done that round and waits again.
constexpr Duration kPoll = 50ms;

RelayOptions FastOptions() {
  return {.poll_interval = kPoll, .min_backoff = 5ms, .max_backoff = 20ms};
}

class OutboxRelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("certfleet_relay_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = store::OpenSqliteStore({.path = (dir_ / "hub.db").string()});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    relay_.reset();
    if (store_) store_->SetCommitListener(nullptr);
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Starts a relay over a FakePublisher that the test keeps a pointer to.
  // It has done its first round when this returns.
  void StartRelay(RelayOptions options = FastOptions()) {
    auto publisher = std::make_unique<FakePublisher>();
    publisher_ = publisher.get();
    relay_ = std::make_unique<OutboxRelay>(*store_, std::move(publisher), clock_, options);
    store_->SetCommitListener([relay = relay_.get()](store::Revision) { relay->Wake(); });
    relay_->Start();
    ASSERT_TRUE(clock_.AwaitWaiters(1)) << "the relay never waited for its next poll";
  }

  // Moves the clock by `d`: the relay's waits that ends run, and it waits again.
  void Step(Duration d) {
    clock_.Advance(d);
    ASSERT_TRUE(clock_.AwaitWaiters(1))
        << "the relay did not wait again after " << d.count() << " ms";
  }

  // Appends an event (whose commit wakes the relay) and waits until the relay waits again,
  // the clock standing still.
  store::Revision AppendAndSettle(const std::string& subject) {
    const std::uint64_t mark = clock_.WaitsStarted();
    store::Revision revision = Append(subject);
    EXPECT_TRUE(clock_.AwaitWaiters(1, mark)) << "the relay did not wait again after a commit";
    return revision;
  }

  store::Revision Append(const std::string& subject, const std::string& payload = "{}") {
    auto event = store_->AppendEvent(
        {"test"},
        store::Event{.type = "domain.updated", .subject = subject, .payload_json = payload});
    EXPECT_TRUE(event) << event.error().message;
    return event ? event->revision : 0;
  }

  std::size_t Unpublished() {
    auto events = store_->ListUnpublishedEvents(1000);
    EXPECT_TRUE(events) << events.error().message;
    return events ? events->size() : 0;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  FakePublisher* publisher_ = nullptr;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_F(OutboxRelayTest, PublishesInRevisionOrderAndMarksThemPublished) {
  std::vector<store::Revision> revisions;
  for (int i = 0; i < 5; ++i)
    revisions.push_back(Append("domain:d" + std::to_string(i) + ".example"));
  StartRelay();
  ASSERT_EQ(Unpublished(), 0u) << "events still in the outbox";
  auto sent = publisher_->confirmed();
  ASSERT_EQ(sent.size(), 5u);
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(sent[i].revision, revisions[i]);
  EXPECT_EQ(relay_->status().published, 5);
  EXPECT_EQ(relay_->status().last_published, revisions.back());
}

TEST_F(OutboxRelayTest, CommitListenerWakesTheRelayWithoutWaitingForThePoll) {
  StartRelay({.poll_interval = std::chrono::hours(1)});
  ASSERT_EQ(publisher_->publish_calls(), 0);
  AppendAndSettle("domain:a.example");
  EXPECT_EQ(publisher_->confirmed().size(), 1u)
      << "a commit must wake the relay; it only polls hourly here and the clock stood still";
}

TEST_F(OutboxRelayTest, PollsTheOutboxForCommitsNobodyWokeItFor) {
  StartRelay();
  store_->SetCommitListener(nullptr);  // as for a commit by another process
  Append("domain:a.example");
  Step(kPoll - 1ms);
  EXPECT_EQ(Unpublished(), 1u) << "relayed before the poll interval was over";
  Step(1ms);
  EXPECT_EQ(Unpublished(), 0u) << "the poll did not relay the event";
}

// Several hubs: only the one holding the leader lock relays (issue 14).
TEST_F(OutboxRelayTest, StandsByWhileAnotherHubLeadsAndRelaysOnceItLeads) {
  auto leading = std::make_shared<std::atomic<bool>>(false);
  RelayOptions options = FastOptions();
  options.is_leader = [leading] { return leading->load(); };
  StartRelay(options);
  ASSERT_TRUE(relay_->status().standby) << "not on standby";
  Append("domain:a.example");
  for (int poll = 0; poll < 5; ++poll) Step(options.poll_interval);
  EXPECT_EQ(publisher_->publish_calls(), 0) << "a hub on standby published";
  EXPECT_EQ(Unpublished(), 1u);
  EXPECT_TRUE(relay_->status().healthy) << "standing by is not a failure";

  leading->store(true);
  Step(options.poll_interval);
  EXPECT_EQ(Unpublished(), 0u) << "the new leader did not relay at its next poll";
  EXPECT_EQ(publisher_->confirmed().size(), 1u);
  EXPECT_FALSE(relay_->status().standby);
}

TEST_F(OutboxRelayTest, BrokerOutageKeepsEventsInTheOutboxAndDeliversAfterwards) {
  StartRelay();
  publisher_->SetFailure(Error{ErrorCode::kUnavailable, "broker down"});
  const std::uint64_t mark = clock_.WaitsStarted();
  for (int i = 0; i < 3; ++i) Append("domain:a.example");
  ASSERT_TRUE(clock_.AwaitWaiters(1, mark)) << "the relay did not back off after the failure";
  EXPECT_EQ(publisher_->publish_calls(), 1);
  // Backoff: 5, 10, then 20 ms (the cap) between attempts; commits do not cut it short.
  Step(5ms);
  Step(9ms);
  EXPECT_EQ(publisher_->publish_calls(), 2) << "retried before the doubled backoff was over";
  Step(1ms);
  EXPECT_EQ(publisher_->publish_calls(), 3);
  EXPECT_EQ(Unpublished(), 3u) << "events were marked published without a confirm";
  EXPECT_FALSE(relay_->status().healthy);
  EXPECT_NE(relay_->status().last_error.find("broker down"), std::string::npos);

  publisher_->SetFailure(std::nullopt);
  Step(20ms);
  EXPECT_EQ(Unpublished(), 0u) << "backlog not delivered";
  EXPECT_EQ(publisher_->confirmed().size(), 3u);
  EXPECT_TRUE(relay_->status().healthy);
}

TEST_F(OutboxRelayTest, PartialConfirmMarksOnlyTheConfirmedPrefix) {
  for (int i = 0; i < 4; ++i) Append("domain:a.example");
  auto publisher = std::make_unique<FakePublisher>();
  publisher->ConfirmOnlyNext(2);
  publisher_ = publisher.get();
  relay_ = std::make_unique<OutboxRelay>(*store_, std::move(publisher), clock_, FastOptions());
  relay_->Start();
  ASSERT_TRUE(clock_.AwaitWaiters(1));
  EXPECT_EQ(Unpublished(), 2u) << "only the confirmed prefix may be marked";
  Step(5ms);
  ASSERT_EQ(Unpublished(), 0u);
  auto sent = publisher_->confirmed();
  ASSERT_EQ(sent.size(), 4u) << "the confirmed prefix was published again";
  for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_LT(sent[i - 1].revision, sent[i].revision);
}

TEST_F(OutboxRelayTest, EventsCommittedWhileNoRelayRanAreDeliveredByTheNextRelay) {
  {
    // A relay that dies between the commit and its first publish.
    OutboxRelay doomed(*store_, std::make_unique<FakePublisher>(), clock_);
    Append("domain:a.example");
  }
  EXPECT_EQ(Unpublished(), 1u);
  StartRelay();
  EXPECT_EQ(publisher_->confirmed().size(), 1u);
}

TEST_F(OutboxRelayTest, KeyMaterialNeverLeavesAndDoesNotStallLaterEvents) {
  Append("domain:a.example", R"({"leak":"-----BEGIN EC PRIVATE KEY-----"})");
  store_->AppendEvent({"test"}, store::Event{.type = "custom", .subject = "x:PRIVATE KEY"});
  store::Revision last = Append("domain:b.example");
  StartRelay();
  ASSERT_EQ(Unpublished(), 0u);
  auto sent = publisher_->confirmed();
  ASSERT_EQ(sent.size(), 2u) << "the event with key material in its subject must be withheld";
  for (const Message& m : sent) {
    EXPECT_EQ(m.body.find("PRIVATE KEY"), std::string::npos) << m.body;
  }
  EXPECT_NE(sent[0].body.find("\"redacted\":true"), std::string::npos);
  EXPECT_EQ(sent[1].revision, last);
  EXPECT_EQ(relay_->status().withheld, 1);
}

}  // namespace
}  // namespace certfleet::bus
