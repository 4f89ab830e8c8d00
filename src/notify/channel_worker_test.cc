#include "notify/channel_worker.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/dispatcher.h"
#include "notify/testing/fake_notifier.h"
#include "notify/testing/store_fixture.h"

namespace certfleet::notify {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

NotifyConfig ChatConfig() {
  NotifyConfig config;
  config.channels.push_back({.name = "chat",
                             .type = ChannelType::kRocketChat,
                             .url = "https://chat",
                             .group_window = minutes(5)});
  return config;
}

class ChannelWorkerTest : public ::testing::Test {
 protected:
  void Enqueue(const std::string& domain) {
    Notice n{.kind = NoticeKind::kRenewed, .subject = domain, .summary = "renewed"};
    auto added = dispatcher_.Enqueue({n, ""});
    ASSERT_TRUE(added && *added == 1);
  }

  DeliveryPass Pass() {
    auto pass = worker_.RunOnce();
    EXPECT_TRUE(pass) << pass.error().message;
    return pass ? *pass : DeliveryPass{};
  }

  testing::StoreFixture fx_;
  NotifyConfig config_ = ChatConfig();  // before worker_, which refers to its channel
  Dispatcher dispatcher_{fx_.store(), fx_.clock(), config_};
  FakeNotifier notifier_;
  ChannelWorker worker_{fx_.store(), fx_.clock(), config_.channels[0], notifier_,
                        RetryPolicy{.base = seconds(30), .cap = minutes(10)}};
};

TEST_F(ChannelWorkerTest, ABurstWithinTheWindowIsDeliveredAsOneMessage) {
  for (int i = 0; i < 87; ++i) {
    Enqueue("d" + std::to_string(i) + ".example.com");
    fx_.clock().Advance(seconds(2));  // renewals trickle in over ~3 minutes
  }
  EXPECT_FALSE(Pass().attempted) << "nothing is sent before the first notice waited its window";
  fx_.clock().Advance(minutes(3));  // the first renewal has now waited > 5 minutes
  DeliveryPass pass = Pass();
  EXPECT_EQ(pass.delivered, 87);
  ASSERT_EQ(notifier_.delivered().size(), 1u);
  EXPECT_EQ(notifier_.delivered()[0].title, "87 certificates renewed");
  EXPECT_FALSE(Pass().attempted) << "delivered notifications are not sent again";
}

TEST_F(ChannelWorkerTest, FailedDeliveryIsRetriedWithBackoffAndDeliveredOnce) {
  Enqueue("a.example.com");
  notifier_.FailNext(5, Error{ErrorCode::kUnavailable, "HTTP 503"});
  fx_.clock().Advance(minutes(5));
  std::vector<Duration> waits;
  for (int attempt = 1; notifier_.delivered().empty(); ++attempt) {
    ASSERT_LE(attempt, 6) << "still not delivered after 6 attempts";
    DeliveryPass pass = Pass();
    ASSERT_TRUE(pass.attempted) << "attempt " << attempt << " was not made when due";
    if (!pass.error) break;
    EXPECT_FALSE(Pass().attempted) << "a failed message must wait for its backoff";
    auto queued = fx_.store().ListDueNotifications("chat", fx_.clock().Now() + minutes(60), 1);
    ASSERT_TRUE(queued && queued->size() == 1);
    EXPECT_EQ((*queued)[0].attempts, attempt);
    EXPECT_EQ((*queued)[0].last_error, "HTTP 503");
    waits.push_back(
        std::chrono::duration_cast<Duration>((*queued)[0].next_attempt_at - fx_.clock().Now()));
    fx_.clock().Set((*queued)[0].next_attempt_at);
  }
  EXPECT_EQ(notifier_.attempts(), 6);
  EXPECT_EQ(notifier_.delivered().size(), 1u) << "delivered exactly once";
  EXPECT_EQ(waits, (std::vector<Duration>{seconds(30), seconds(60), seconds(120), seconds(240),
                                          seconds(480)}));
  EXPECT_FALSE(Pass().attempted);
}

TEST_F(ChannelWorkerTest, RetryAfterFromTheReceiverIsHonoured) {
  Enqueue("a.example.com");
  Error limited{ErrorCode::kRateLimited, "HTTP 429"};
  limited.retry_after = minutes(7);
  notifier_.FailNext(1, limited);
  fx_.clock().Advance(minutes(5));
  ASSERT_TRUE(Pass().error);
  fx_.clock().Advance(minutes(6));
  EXPECT_FALSE(Pass().attempted) << "the receiver asked for 7 minutes";
  fx_.clock().Advance(minutes(1));
  EXPECT_EQ(Pass().delivered, 1);
}

TEST_F(ChannelWorkerTest, CorruptPayloadsAreDroppedNotRetriedForever) {
  ASSERT_TRUE(fx_.store().EnqueueNotification({.channel = "chat",
                                               .payload_json = "{\"kind\":\"???\"}",
                                               .next_attempt_at = fx_.clock().Now()}));
  DeliveryPass pass = Pass();
  EXPECT_FALSE(pass.attempted);
  auto due = fx_.store().ListDueNotifications("chat", fx_.clock().Now() + minutes(60), 10);
  ASSERT_TRUE(due);
  EXPECT_TRUE(due->empty());
}

}  // namespace
}  // namespace certfleet::notify
