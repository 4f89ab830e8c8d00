#include "agent/agent_loop.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "agent/testing/agent_test_util.h"
#include "agent/testing/fake_hub_client.h"
#include "harness/net.h"
#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

class AgentLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Repair());
    hub_->SetDesiredState({"web-1", 0, {}});
  }
  void Start(LoopOptions options) {
    loop_ = std::make_unique<AgentLoop>(hub_, deployer_, clock_, options);
    thread_ = std::thread([this] { loop_->Run(); });
  }
  void TearDown() override {
    if (loop_) loop_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  // Moves the loop's clock by `d` and waits until the loop thread (the only thread on the
  // clock: the watch thread waits in the hub's long poll) has acted on it and waits again.
  void Step(Duration d) {
    clock_.Advance(d);
    ASSERT_TRUE(clock_.AwaitWaiters(1)) << "the loop did not wait again";
  }
  // Waits for the first pass (it runs at start) and until the loop waits for the next.
  void AwaitFirstPass() {
    ASSERT_TRUE(harness::WaitFor([&] { return loop_->passes() >= 1; }, std::chrono::seconds(5)))
        << "the first pass must run at start";
    ASSERT_TRUE(clock_.AwaitWaiters(1)) << "the loop did not wait after its first pass";
  }

  harness::TempDir dir_{"agent-loop"};
  CertStore store_{dir_.path()};
  std::shared_ptr<FakeHubClient> hub_ = std::make_shared<FakeHubClient>();
  FakeClock clock_{std::chrono::system_clock::now()};
  Deployer deployer_{*hub_, store_, clock_,
                     DeployerOptions{.test_command = "true", .reload_command = "true"}};
  std::unique_ptr<AgentLoop> loop_;
  std::thread thread_;
};

TEST_F(AgentLoopTest, ConvergesOnStartAndOnEveryEvent) {
  Start({.resync_interval = std::chrono::hours(1), .watch_wait = std::chrono::seconds(5)});
  ASSERT_TRUE(harness::WaitFor([&] { return hub_->desired_calls() >= 1; }, std::chrono::seconds(5)))
      << "the first pass must run at start";
  const int before = hub_->desired_calls();
  hub_->Publish();
  EXPECT_TRUE(
      harness::WaitFor([&] { return hub_->desired_calls() > before; }, std::chrono::seconds(2)))
      << "an event on the watch stream must trigger a pass";
}

TEST_F(AgentLoopTest, ItsOwnDeploymentReportsDoNotTriggerAPass) {
  Start({.resync_interval = std::chrono::hours(1), .watch_wait = std::chrono::seconds(5)});
  ASSERT_TRUE(harness::WaitFor([&] { return loop_->passes() >= 1; }, std::chrono::seconds(5)))
      << "the first pass must run at start";
  hub_->Publish("deployment.reported");
  hub_->Publish("machine.desired_changed");  // a marker: its pass proves the report was seen first
  ASSERT_TRUE(harness::WaitFor([&] { return loop_->passes() >= 2; }, std::chrono::seconds(5)))
      << "a desired-state change must trigger a pass";
  const int after_change = hub_->desired_calls();
  hub_->Publish("deployment.reported");
  hub_->Publish("deployment.reported");
  std::this_thread::sleep_for(
      std::chrono::milliseconds(200));  // a wrongly triggered pass would run now
  EXPECT_EQ(hub_->desired_calls(), after_change)
      << "a page of only deployment.reported events (the agent's own reports) must not cost a pass";
}

TEST_F(AgentLoopTest, StopCancelsTheLongPollSoRunJoinsTheWatchThread) {
  auto loop = std::make_unique<AgentLoop>(hub_, deployer_, clock_,
                                          LoopOptions{.resync_interval = std::chrono::hours(1),
                                                      .watch_wait = std::chrono::seconds(50)});
  std::atomic<int> result{-1};
  std::thread runner([&] { result = loop->Run() ? 1 : 0; });
  ASSERT_TRUE(harness::WaitFor([&] { return loop->passes() >= 1; }, std::chrono::seconds(5)));
  ASSERT_TRUE(harness::WaitFor([&] { return hub_->watch_calls() >= 1; }, std::chrono::seconds(5)))
      << "the watch thread never entered its 50 s poll";
  loop->Stop();
  runner.join();
  EXPECT_EQ(result.load(), 1)
      << "Stop() must cancel the long poll, so Run() joins the watch thread instead of "
         "leaving it in a 50 s poll";
}

TEST_F(AgentLoopTest, ResyncsPeriodicallyWithoutEvents) {
  Start({.resync_interval = std::chrono::minutes(10), .watch_wait = std::chrono::seconds(5)});
  AwaitFirstPass();
  const int first = hub_->desired_calls();
  Step(std::chrono::minutes(10) - std::chrono::milliseconds(1));
  EXPECT_EQ(hub_->desired_calls(), first) << "a resync before the interval was over";
  for (int resync = 1; resync <= 2; ++resync) {
    Step(resync == 1 ? std::chrono::milliseconds(1) : std::chrono::minutes(10));
    EXPECT_EQ(hub_->desired_calls(), first + resync)
        << "lost events must be made up for by the periodic resync";
  }
}

TEST_F(AgentLoopTest, RetriesWithBackoffWhileTheHubIsDown) {
  hub_->SetAvailable(false);
  Start({.resync_interval = std::chrono::hours(1),
         .watch_wait = std::chrono::seconds(1),
         .max_backoff = std::chrono::seconds(2)});
  AwaitFirstPass();
  EXPECT_EQ(hub_->desired_calls(), 1);
  Step(std::chrono::seconds(1));  // RetryDelay: 1 s, then 2 s (the cap here)
  EXPECT_EQ(hub_->desired_calls(), 2) << "an unreachable hub must be retried";
  Step(std::chrono::milliseconds(1999));
  EXPECT_EQ(hub_->desired_calls(), 2) << "retried before the doubled backoff was over";
  Step(std::chrono::milliseconds(1));
  EXPECT_EQ(hub_->desired_calls(), 3);
  hub_->SetAvailable(true);
  const int passes = loop_->passes();
  Step(std::chrono::seconds(2));
  EXPECT_EQ(loop_->passes(), passes + 1) << "the retry after the hub came back must run";
}

TEST_F(AgentLoopTest, WithoutTheWatchStreamPassesRunOnTrigger) {
  Start({.resync_interval = std::chrono::hours(1), .watch_stream = false});
  AwaitFirstPass();
  const int idle = loop_->passes();
  hub_->Publish();
  const std::uint64_t mark = clock_.WaitsStarted();
  loop_->Trigger();
  ASSERT_TRUE(clock_.AwaitWaiters(1, mark)) << "the loop did not wait again after the trigger";
  EXPECT_EQ(loop_->passes(), idle + 1) << "Trigger (a RabbitMQ message) must run a pass";
  EXPECT_EQ(hub_->watch_calls(), 0)
      << "watch_stream = false must not follow the hub's watch stream";
}

TEST_F(AgentLoopTest, PollsTheHubWhileTheEventSourceIsDown) {
  std::atomic<bool> connected{false};
  Start({.resync_interval = std::chrono::hours(1),
         .watch_stream = false,
         .push_connected = [&] { return connected.load(); },
         .fallback_interval = std::chrono::seconds(30)});
  AwaitFirstPass();
  for (int poll = 1; poll <= 3; ++poll) {
    Step(std::chrono::seconds(30));
    EXPECT_EQ(loop_->passes(), 1 + poll)
        << "with the broker down the loop must fall back to a pass every fallback_interval";
  }
  connected = true;
  for (int poll = 0; poll < 10; ++poll) Step(std::chrono::seconds(30));
  EXPECT_EQ(loop_->passes(), 4) << "a connected event source must stop the fallback polling";
}

TEST(RetryDelayTest, DoublesUpToTheCap) {
  const auto max = std::chrono::seconds(60);
  EXPECT_EQ(RetryDelay(1, max), std::chrono::seconds(1));
  EXPECT_EQ(RetryDelay(2, max), std::chrono::seconds(2));
  EXPECT_EQ(RetryDelay(4, max), std::chrono::seconds(8));
  EXPECT_EQ(RetryDelay(30, max), max);
}

// A hub client whose first GetDesiredState throws (a bug or input nobody foresaw).
class ThrowsOnceHub final : public HubClient {
 public:
  explicit ThrowsOnceHub(FakeHubClient& inner) : inner_(inner) {}
  Result<DesiredState> GetDesiredState() override {
    if (!thrown_.exchange(true)) throw std::runtime_error("type_error.316: invalid UTF-8 byte");
    return inner_.GetDesiredState();
  }
  Result<CertificateBundle> GetCertificate(CertificateId id) override {
    return inner_.GetCertificate(id);
  }
  Status ReportDeployment(const DeploymentReport& r) override { return inner_.ReportDeployment(r); }
  Result<WatchPage> Watch(Revision since, std::chrono::seconds wait) override {
    return inner_.Watch(since, wait);
  }
  void CancelWatch() override { inner_.CancelWatch(); }

 private:
  FakeHubClient& inner_;
  std::atomic<bool> thrown_{false};
};

// Review 2026-12-06, F6: an exception out of a pass left Run() while the stopper thread
// was joinable: std::terminate, a restart loop, and no report ever sent.
TEST(AgentLoopThrowTest, APassThatThrowsIsAFailedPassAndTheLoopGoesOn) {
  harness::TempDir dir{"agent-loop-throw"};
  CertStore store{dir.path()};
  ASSERT_TRUE(store.Repair());
  auto fake = std::make_shared<FakeHubClient>();
  fake->SetDesiredState({"web-1", 0, {}});
  auto hub = std::make_shared<ThrowsOnceHub>(*fake);
  FakeClock clock{std::chrono::system_clock::now()};
  Deployer deployer{*hub, store, clock,
                    DeployerOptions{.test_command = "true", .reload_command = "true"}};
  AgentLoop loop(hub, deployer, clock,
                 {.resync_interval = std::chrono::hours(1), .watch_stream = false});
  std::thread thread([&] { loop.Run(); });
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the loop did not back off after the pass threw";
  EXPECT_EQ(fake->desired_calls(), 0) << "the first pass threw";
  clock.Advance(RetryDelay(1, LoopOptions{}.max_backoff));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_EQ(fake->desired_calls(), 1)
      << "after a pass threw, the loop must retry (with backoff) and converge";
  loop.Stop();
  thread.join();
}

}  // namespace
}  // namespace certfleet::agent

namespace certfleet::agent {
namespace {

TEST(AgentLoopRetryTest, AFailedDeploymentIsRetriedWithoutAnEvent) {
  harness::TempDir dir("agent-loop-retry");
  CertStore store(dir / "out");
  ASSERT_TRUE(store.Repair());
  auto ca = crypto::testing::TestCa::Create().value();
  auto a = testing::MakeCertificate(ca, "a.example.com", 1);
  auto hub = std::make_shared<FakeHubClient>();
  hub->SetDesiredState({"web-1", 0, {a.desired}});
  hub->AddBundle(a.bundle);
  const std::string broken = (dir / "broken").string();
  dir.WriteFile("broken", "");
  DeployerOptions options{.test_command = "test ! -e " + broken, .reload_command = "true"};
  options.first_retry = std::chrono::minutes(5);
  FakeClock clock{std::chrono::system_clock::now()};
  Deployer deployer(*hub, store, clock, options);
  AgentLoop loop(hub, deployer, clock,
                 {.resync_interval = std::chrono::hours(1), .watch_wait = std::chrono::seconds(5)});
  std::thread thread([&] { loop.Run(); });
  const bool failed =
      harness::WaitFor([&] { return !hub->reports().empty(); }, std::chrono::seconds(5)) &&
      clock.AwaitWaiters(1);
  std::filesystem::remove(broken);
  clock.Advance(std::chrono::minutes(5) - std::chrono::milliseconds(1));
  const bool early = clock.AwaitWaiters(1) && hub->reports().size() > 1;
  clock.Advance(std::chrono::milliseconds(1));
  const bool deployed =
      clock.AwaitWaiters(1) && hub->reports().back().outcome == DeploymentOutcome::kDeployed;
  loop.Stop();
  thread.join();
  ASSERT_TRUE(failed) << "the first pass must fail and report";
  EXPECT_FALSE(early) << "retried before first_retry was over";
  EXPECT_TRUE(deployed) << "the loop must retry the failed deployment by itself (no event, no "
                           "resync within the hour)";
}

TEST(AgentLoopRetryTest, ARedeployEventTriggersAFreshAttempt) {
  harness::TempDir dir("agent-loop-redeploy");
  CertStore store(dir / "out");
  ASSERT_TRUE(store.Repair());
  auto ca = crypto::testing::TestCa::Create().value();
  auto a = testing::MakeCertificate(ca, "a.example.com", 1);
  auto hub = std::make_shared<FakeHubClient>();
  hub->SetDesiredState({"web-1", 0, {a.desired}});
  hub->AddBundle(a.bundle);
  Deployer deployer(*hub, store, SystemClock::Instance(),
                    DeployerOptions{.test_command = "true", .reload_command = "true"});
  AgentLoop loop(hub, deployer, SystemClock::Instance(),
                 {.resync_interval = std::chrono::hours(1), .watch_wait = std::chrono::seconds(5)});
  std::thread thread([&] { loop.Run(); });
  const bool first =
      harness::WaitFor([&] { return hub->reports().size() == 1; }, std::chrono::seconds(5));
  hub->Publish(kRedeployEvent);
  const bool again =
      harness::WaitFor([&] { return hub->reports().size() == 2; }, std::chrono::seconds(5));
  loop.Stop();
  thread.join();
  ASSERT_TRUE(first);
  EXPECT_TRUE(again) << "machine.redeploy_requested must make the agent report the current "
                        "certificate again";
}

}  // namespace
}  // namespace certfleet::agent
