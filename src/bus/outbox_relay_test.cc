#include "bus/outbox_relay.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "bus/testing/fake_publisher.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;

bool Eventually(const std::function<bool()>& done, Duration timeout = 5s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(2ms);
  }
  return done();
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
  void StartRelay(RelayOptions options = {
                      .poll_interval = 50ms, .min_backoff = 5ms, .max_backoff = 20ms}) {
    auto publisher = std::make_unique<FakePublisher>();
    publisher_ = publisher.get();
    relay_ = std::make_unique<OutboxRelay>(*store_, std::move(publisher), clock_, options);
    store_->SetCommitListener([relay = relay_.get()](store::Revision) { relay->Wake(); });
    relay_->Start();
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
  SystemClock clock_;
  std::unique_ptr<store::Store> store_;
  FakePublisher* publisher_ = nullptr;
  std::unique_ptr<OutboxRelay> relay_;
};

TEST_F(OutboxRelayTest, PublishesInRevisionOrderAndMarksThemPublished) {
  std::vector<store::Revision> revisions;
  for (int i = 0; i < 5; ++i)
    revisions.push_back(Append("domain:d" + std::to_string(i) + ".example"));
  StartRelay();
  ASSERT_TRUE(Eventually([&] { return Unpublished() == 0; })) << "events still in the outbox";
  auto sent = publisher_->confirmed();
  ASSERT_EQ(sent.size(), 5u);
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(sent[i].revision, revisions[i]);
  EXPECT_EQ(relay_->status().published, 5);
  EXPECT_EQ(relay_->status().last_published, revisions.back());
}

TEST_F(OutboxRelayTest, CommitListenerWakesTheRelayWithoutWaitingForThePoll) {
  StartRelay({.poll_interval = std::chrono::hours(1)});
  ASSERT_TRUE(Eventually([&] { return publisher_->publish_calls() == 0; }));
  Append("domain:a.example");
  EXPECT_TRUE(Eventually([&] { return publisher_->confirmed().size() == 1; }, 2s))
      << "a commit must wake the relay; it only polls hourly here";
}

// Several hubs: only the one holding the leader lock relays (issue 14).
TEST_F(OutboxRelayTest, StandsByWhileAnotherHubLeadsAndRelaysOnceItLeads) {
  auto leading = std::make_shared<std::atomic<bool>>(false);
  RelayOptions options{.poll_interval = 20ms, .min_backoff = 5ms, .max_backoff = 20ms};
  options.is_leader = [leading] { return leading->load(); };
  StartRelay(options);
  Append("domain:a.example");
  ASSERT_TRUE(Eventually([&] { return relay_->status().standby; })) << "never on standby";
  std::this_thread::sleep_for(100ms);  // five polls
  EXPECT_EQ(publisher_->publish_calls(), 0) << "a hub on standby published";
  EXPECT_EQ(Unpublished(), 1u);
  EXPECT_TRUE(relay_->status().healthy) << "standing by is not a failure";

  leading->store(true);
  EXPECT_TRUE(Eventually([&] { return Unpublished() == 0; })) << "the new leader did not relay";
  EXPECT_EQ(publisher_->confirmed().size(), 1u);
  EXPECT_FALSE(relay_->status().standby);
}

TEST_F(OutboxRelayTest, BrokerOutageKeepsEventsInTheOutboxAndDeliversAfterwards) {
  StartRelay();
  publisher_->SetFailure(Error{ErrorCode::kUnavailable, "broker down"});
  for (int i = 0; i < 3; ++i) Append("domain:a.example");
  ASSERT_TRUE(Eventually([&] { return publisher_->publish_calls() >= 3; })) << "no retries";
  EXPECT_EQ(Unpublished(), 3u) << "events were marked published without a confirm";
  EXPECT_FALSE(relay_->status().healthy);
  EXPECT_NE(relay_->status().last_error.find("broker down"), std::string::npos);

  publisher_->SetFailure(std::nullopt);
  ASSERT_TRUE(Eventually([&] { return Unpublished() == 0; })) << "backlog not delivered";
  EXPECT_EQ(publisher_->confirmed().size(), 3u);
  EXPECT_TRUE(relay_->status().healthy);
}

TEST_F(OutboxRelayTest, PartialConfirmMarksOnlyTheConfirmedPrefix) {
  for (int i = 0; i < 4; ++i) Append("domain:a.example");
  auto publisher = std::make_unique<FakePublisher>();
  publisher->ConfirmOnlyNext(2);
  publisher_ = publisher.get();
  relay_ = std::make_unique<OutboxRelay>(
      *store_, std::move(publisher), clock_,
      RelayOptions{.poll_interval = 50ms, .min_backoff = 5ms, .max_backoff = 20ms});
  relay_->Start();
  ASSERT_TRUE(Eventually([&] { return Unpublished() == 0; }));
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
  EXPECT_TRUE(Eventually([&] { return publisher_->confirmed().size() == 1; }));
}

TEST_F(OutboxRelayTest, KeyMaterialNeverLeavesAndDoesNotStallLaterEvents) {
  StartRelay();
  Append("domain:a.example", R"({"leak":"-----BEGIN EC PRIVATE KEY-----"})");
  store_->AppendEvent({"test"}, store::Event{.type = "custom", .subject = "x:PRIVATE KEY"});
  store::Revision last = Append("domain:b.example");
  ASSERT_TRUE(Eventually([&] { return Unpublished() == 0; }));
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
