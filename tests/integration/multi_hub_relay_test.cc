// Several hubs with [rabbitmq] on one PostgreSQL (issue 14): exactly one hub relays the
// outbox at a time (the others report "standby" in /healthz), every event reaches the
// broker once and in revision order, and when the relaying hub is SIGKILLed another takes
// over and relays what was committed afterwards. Real RabbitMQ, PostgreSQL, Pebble, nginx.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "harness/net.h"
#include "multi_hub_relay_fixture.h"

namespace certfleet::multihub {
namespace {

using namespace std::chrono_literals;

TEST_F(MultiHubRelayTest, OneHubRelaysEachEventOnceInOrderAndAnotherTakesOverWhenItDies) {
  for (int i = 0; i < kHubs; ++i) ASSERT_NO_FATAL_FAILURE(StartHub(i));
  const auto first = DomainNames(0, 4);
  for (std::size_t k = 0; k < first.size(); ++k) SaveDomain(static_cast<int>(k) % kHubs, first[k]);
  ASSERT_TRUE(WaitAllValid(0, first));
  ASSERT_TRUE(harness::WaitFor([&] { return Unpublished() == 0; }, 30s, 50ms))
      << "the outbox was not relayed";
  int relaying = -1;
  ASSERT_TRUE(harness::WaitFor([&] { return (relaying = RelayingHub()) != -1; }, 10s, 100ms))
      << "not exactly one hub relays";

  ASSERT_NO_FATAL_FAILURE(KillHub(relaying));
  const int survivor = (relaying + 1) % kHubs;
  const auto second = DomainNames(4, 3);
  for (const auto& name : second) SaveDomain(survivor, name);
  ASSERT_TRUE(WaitAllValid(survivor, second));
  ASSERT_TRUE(harness::WaitFor([&] { return Unpublished() == 0; }, 30s, 50ms))
      << "no hub took the relay over";
  EXPECT_TRUE(harness::WaitFor([&] { return RelayingHub() != -1; }, 10s, 100ms))
      << "not exactly one hub relays after the failover";

  // Nothing was in flight at the kill (the outbox was empty), so each event went out once.
  const auto want = EventIds();
  auto got = ConsumeIds(want.size());
  EXPECT_EQ(got, want) << "each event once, in revision order";
  auto extra = ConsumeIds(1, 2s);  // anything more is a duplicate
  EXPECT_TRUE(extra.empty()) << extra.size() << " extra messages, first " << extra.front();
}

}  // namespace
}  // namespace certfleet::multihub
