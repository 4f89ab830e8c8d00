// Service::SendTestAsync: the non-blocking test message the hub's API uses.
#include "notify/service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>

#include "notify/testing/fake_notifier.h"
#include "notify/testing/store_fixture.h"

namespace certfleet::notify {
namespace {

class ServiceTestMessage : public ::testing::Test {
 protected:
  void Start() {
    NotifyConfig config;
    config.channels = {ChannelConfig{
        .name = "ops-chat", .type = ChannelType::kSlack, .url = "https://chat.example.com/x"}};
    ServiceOptions options;
    // The service owns its notifiers; keep a pointer to look at what it delivered.
    options.make_notifier = [this](const ChannelConfig&,
                                   Clock&) -> Result<std::unique_ptr<Notifier>> {
      auto fake = std::make_unique<FakeNotifier>();
      fake_ = fake.get();
      return std::unique_ptr<Notifier>(std::move(fake));
    };
    auto service = Service::Start(fx_.store(), fx_.clock(), config, options);
    ASSERT_TRUE(service) << service.error().message;
    service_ = std::move(*service);
  }

  testing::StoreFixture fx_;
  FakeNotifier* fake_ = nullptr;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTestMessage, AsyncTestDeliversAndReportsTheOutcome) {
  ASSERT_NO_FATAL_FAILURE(Start());
  std::promise<Status> outcome;
  auto started = service_->SendTestAsync("ops-chat", [&](Status s) { outcome.set_value(s); });
  ASSERT_TRUE(started) << started.error().message;
  auto future = outcome.get_future();
  ASSERT_EQ(future.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  EXPECT_TRUE(future.get());
  ASSERT_EQ(fake_->delivered().size(), 1u);
  EXPECT_EQ(fake_->delivered()[0].notices[0].kind, NoticeKind::kTest);
}

TEST_F(ServiceTestMessage, AsyncTestPassesTheReceiversErrorOn) {
  ASSERT_NO_FATAL_FAILURE(Start());
  fake_->FailNext(1, Error{ErrorCode::kUnavailable, "HTTP 503 from https://chat.example.com/…"});
  std::promise<Status> outcome;
  ASSERT_TRUE(service_->SendTestAsync("ops-chat", [&](Status s) { outcome.set_value(s); }));
  Status s = outcome.get_future().get();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
}

TEST_F(ServiceTestMessage, UnknownChannelOrStoppedServiceFailAtOnceWithoutCallback) {
  ASSERT_NO_FATAL_FAILURE(Start());
  bool called = false;
  auto unknown = service_->SendTestAsync("nope", [&](Status) { called = true; });
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_NE(unknown.error().message.find("configured: ops-chat"), std::string::npos)
      << unknown.error().message;
  service_->Stop();
  auto stopped = service_->SendTestAsync("ops-chat", [&](Status) { called = true; });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(called) << "the callback runs only for a test that started";
}

// Several hubs (issue 14): only the hub holding the leader lock dispatches and delivers,
// so a notice is sent once however many hubs run the notifier.
TEST(ServiceLeadership, OnlyTheLeadingHubDispatchesAndDelivers) {
  testing::StoreFixture fx;
  auto leading = std::make_shared<std::atomic<bool>>(false);
  FakeNotifier* fake = nullptr;
  NotifyConfig config;
  config.channels = {ChannelConfig{.name = "ops-chat",
                                   .type = ChannelType::kSlack,
                                   .url = "https://chat.example.com/x",
                                   .group_window = Duration::zero()}};
  ServiceOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.is_leader = [leading] { return leading->load(); };
  options.make_notifier = [&fake](const ChannelConfig&,
                                  Clock&) -> Result<std::unique_ptr<Notifier>> {
    auto notifier = std::make_unique<FakeNotifier>();
    fake = notifier.get();
    return std::unique_ptr<Notifier>(std::move(notifier));
  };
  auto service = Service::Start(fx.store(), fx.clock(), config, options);
  ASSERT_TRUE(service) << service.error().message;
  // Two threads wait on the clock: the dispatcher and the channel's worker.
  ASSERT_TRUE(fx.clock().AwaitWaiters(2)) << "the service threads never waited for a poll";
  const store::Id domain = fx.AddDomain("a.example", std::nullopt, {});
  fx.AddCertificate(domain, fx.clock().Now() + std::chrono::hours(24 * 90), "01");
  (*service)->Wake();
  for (int poll = 0; poll < 10; ++poll) {
    fx.clock().Advance(options.poll_interval);
    ASSERT_TRUE(fx.clock().AwaitWaiters(2)) << "poll " << poll;
  }
  EXPECT_EQ(fake->attempts(), 0) << "a hub on standby delivered in ten polls";

  leading->store(true);
  (*service)->Wake();
  EXPECT_TRUE(fake->AwaitDelivered(1));
  ASSERT_EQ(fake->delivered().size(), 1u) << "the leading hub did not deliver";
  EXPECT_EQ(fake->delivered()[0].notices[0].kind, NoticeKind::kIssued);
  (*service)->Stop();
}

}  // namespace
}  // namespace certfleet::notify
