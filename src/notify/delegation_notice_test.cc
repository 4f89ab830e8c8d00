// Support is told in chat when a domain waits for its DNS-01 delegation (the customer's
// CNAME is missing or wrong) and when it no longer does (issue 15) — once per change of
// the check's state, not at every recheck. The store appends domain.delegation when a
// check ends in another state (store/events.h); the dispatcher turns it into a notice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/dispatcher.h"
#include "notify/service.h"
#include "notify/testing/fake_notifier.h"
#include "notify/testing/store_fixture.h"

namespace certfleet::notify {
namespace {

using namespace std::chrono_literals;

constexpr const char* kMissing =
    "delegation missing: create _acme-challenge.shop.example.com. CNAME "
    "k7wq3vd2.acme.provider.net. (127.0.0.1:53 finds no CNAME there: NXDOMAIN)";

class DelegationNoticeTest : public ::testing::Test {
 protected:
  DelegationNoticeTest() {
    config_.channels.push_back({.name = "all", .type = ChannelType::kSlack, .url = "https://s"});
    config_.channels.push_back({.name = "expiry-only",
                                .type = ChannelType::kSlack,
                                .url = "https://s",
                                .events = {NoticeKind::kExpiring}});
  }

  void SetUp() override {
    auto customer = fx_.AddCustomer("Acme GmbH");
    fx_.AddDomain("shop.example.com", customer, {fx_.AddMachine("web-01")}, "letsencrypt");
    ASSERT_TRUE(fx_.store().EnsureDelegation("shop.example.com", "k7wq3vd2"));
  }

  // A delegation check of shop.example.com, as the issuance job or the API records it.
  void Check(const std::string& state, const std::string& message = "") {
    auto saved =
        fx_.store().RecordDelegationCheck("shop.example.com", state, message, fx_.clock().Now());
    ASSERT_TRUE(saved) << saved.error().message;
    fx_.clock().Advance(2min);
  }

  std::vector<Notice> Queued(const std::string& channel) {
    for (;;) {
      auto n = dispatcher_.ProcessEvents();
      EXPECT_TRUE(n) << n.error().message;
      if (!n || *n == 0) break;
    }
    auto due = fx_.store().ListDueNotifications(channel, fx_.clock().Now() + 24h, 1000);
    EXPECT_TRUE(due) << due.error().message;
    std::vector<Notice> out;
    for (const auto& n : due.value_or(std::vector<store::Notification>{})) {
      auto notice = NoticeFromJson(nlohmann::json::parse(n.payload_json));
      EXPECT_TRUE(notice) << notice.error().message;
      if (notice && notice->kind == NoticeKind::kDelegation) out.push_back(*notice);
    }
    return out;
  }

  testing::StoreFixture fx_;
  NotifyConfig config_;
  Dispatcher dispatcher_{fx_.store(), fx_.clock(), config_};
};

TEST_F(DelegationNoticeTest, AWaitingDomainIsToldOnceWithWhatToCreateHoweverOftenItIsChecked) {
  for (int pass = 0; pass < 5; ++pass) Check("missing", kMissing);
  auto notices = Queued("all");
  ASSERT_EQ(notices.size(), 1u) << "one notice per change, not one per recheck";
  const Notice& n = notices[0];
  EXPECT_EQ(n.subject, "shop.example.com");
  EXPECT_EQ(n.customer, "Acme GmbH");
  EXPECT_EQ(n.machines, std::vector<std::string>{"web-01"});
  EXPECT_EQ(n.severity, Severity::kWarning);
  EXPECT_NE(n.summary.find(std::string("waiting for its DNS-01 delegation")), std::string::npos)
      << n.summary;
  EXPECT_NE(n.summary.find(kMissing), std::string::npos) << "the notice must say what to create";
  EXPECT_NE(n.action.find("certfleet domain dns01 shop.example.com --check"), std::string::npos)
      << n.action;
  EXPECT_TRUE(Queued("expiry-only").empty()) << "a channel's event filter applies";
}

TEST_F(DelegationNoticeTest, TheResolutionIsToldOnceAndAnotherProblemIsToldAgain) {
  Check("missing", kMissing);
  Check("ok");
  Check("ok");
  auto notices = Queued("all");
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[1].severity, Severity::kInfo);
  EXPECT_NE(notices[1].summary.find("DNS-01 delegation in place (it was: missing)"),
            std::string::npos)
      << notices[1].summary;
  EXPECT_TRUE(notices[1].action.empty());
  Check("wrong_target", "_acme-challenge.shop.example.com is a CNAME to x.example.net.");
  Check("wrong_target", "_acme-challenge.shop.example.com is a CNAME to y.example.net.");
  notices = Queued("all");
  ASSERT_EQ(notices.size(), 3u) << "the same problem with other words is no news";
  EXPECT_NE(notices[2].summary.find("x.example.net"), std::string::npos) << notices[2].summary;
}

TEST_F(DelegationNoticeTest, ADelegationThatIsInPlaceAtTheFirstCheckIsNoNews) {
  Check("ok");
  Check("ok");
  EXPECT_TRUE(Queued("all").empty());
}

TEST_F(DelegationNoticeTest, NothingIsToldAboutADomainDeletedMeanwhile) {
  Check("missing", kMissing);
  auto domain = fx_.store().GetDomainByName("shop.example.com");
  ASSERT_TRUE(domain);
  ASSERT_TRUE(fx_.store().DeleteDomain(fx_.actor, domain->id));
  EXPECT_TRUE(Queued("all").empty());
}

// The running notifier (dispatcher + channel worker) with the fake chat receiver: the
// repeated checks of a waiting domain reach chat as one message, its resolution as one.
TEST_F(DelegationNoticeTest, ChatReceivesOneMessageWhileWaitingAndOneWhenResolved) {
  FakeNotifier* chat = nullptr;
  NotifyConfig config;
  config.channels = {ChannelConfig{.name = "ops-chat",
                                   .type = ChannelType::kSlack,
                                   .url = "https://chat.example.com/x",
                                   .group_window = Duration::zero()}};
  ServiceOptions options;
  options.poll_interval = 20ms;
  options.make_notifier = [&chat](const ChannelConfig&,
                                  Clock&) -> Result<std::unique_ptr<Notifier>> {
    auto fake = std::make_unique<FakeNotifier>();
    chat = fake.get();
    return std::unique_ptr<Notifier>(std::move(fake));
  };
  auto service = Service::Start(fx_.store(), fx_.clock(), config, options);
  ASSERT_TRUE(service) << service.error().message;
  // Two threads wait on the clock: the dispatcher and the channel's worker.
  ASSERT_TRUE(fx_.clock().AwaitWaiters(2)) << "the service threads never waited for a poll";
  for (int pass = 0; pass < 3; ++pass) {
    Check("missing", kMissing);
    (*service)->Wake();
  }
  ASSERT_TRUE(chat->AwaitDelivered(1)) << "the waiting delegation never reached chat";
  for (int poll = 0; poll < 10; ++poll) {  // ten more polls: nothing else may come
    fx_.clock().Advance(options.poll_interval);
    ASSERT_TRUE(fx_.clock().AwaitWaiters(2)) << "poll " << poll;
  }
  ASSERT_EQ(chat->delivered().size(), 1u) << "a recheck of a waiting domain was sent to chat again";
  const Message waiting = chat->delivered()[0];
  ASSERT_EQ(waiting.notices.size(), 1u);
  EXPECT_NE(waiting.text.find("create _acme-challenge.shop.example.com. CNAME"), std::string::npos)
      << waiting.text;

  Check("ok");
  (*service)->Wake();
  ASSERT_TRUE(chat->AwaitDelivered(2)) << "the resolution never reached chat";
  EXPECT_NE(chat->delivered()[1].text.find("DNS-01 delegation in place"), std::string::npos)
      << chat->delivered()[1].text;
  (*service)->Stop();
}

}  // namespace
}  // namespace certfleet::notify
