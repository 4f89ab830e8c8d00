// Integration tests of the event bus against a real rabbitmq-server (started by the
// harness on free loopback ports): the outbox relay publishing with confirms, consumers
// and the agent's subscriber, broker outages, and configuration errors.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "bus/broker_config.h"
#include "bus/event_message.h"
#include "bus/outbox_relay.h"
#include "bus/rabbitmq/amqp_connection.h"
#include "bus/rabbitmq/rabbitmq_publisher.h"
#include "bus/rabbitmq/rabbitmq_subscriber.h"
#include "harness/net.h"
#include "harness/rabbitmq_server.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;
using harness::RabbitMqServer;
using harness::WaitFor;

// One broker per test binary (tests use their own exchange and queues).
RabbitMqServer* Broker() {
  static std::unique_ptr<RabbitMqServer> broker = [] {
    auto started = RabbitMqServer::Start();
    if (!started) ADD_FAILURE() << started.error().message;
    return started ? std::move(*started) : nullptr;
  }();
  return broker.get();
}

class BusRabbitMqTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_ = Broker();
    ASSERT_NE(broker_, nullptr) << "RabbitMQ did not start";
    if (!broker_->running()) {
      ASSERT_TRUE(broker_->StartBroker());
    }
    auto opened = store::OpenSqliteStore({.path = (dir_ / "hub.db").string()});
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    exchange_ =
        std::string("test.") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
  }
  void TearDown() override {
    if (relay_) relay_->Stop();
    if (store_) store_->SetCommitListener(nullptr);
  }

  BrokerConfig Config() const {
    return BrokerConfig{.url = broker_->Url(),
                        .heartbeat_seconds = 5,
                        .exchange = exchange_,
                        .connect_timeout = 2s,
                        .rpc_timeout = 5s};
  }

  void StartRelay() {
    auto publisher = rabbitmq::MakeRabbitMqPublisher(Config());
    ASSERT_TRUE(publisher) << publisher.error().message;
    relay_ = std::make_unique<OutboxRelay>(
        *store_, std::move(*publisher), clock_,
        RelayOptions{.poll_interval = 100ms, .min_backoff = 50ms, .max_backoff = 500ms});
    store_->SetCommitListener([relay = relay_.get()](store::Revision) { relay->Wake(); });
    relay_->Start();
  }

  // A consumer's durable queue bound to `binding_key`, declared before events flow.
  std::unique_ptr<rabbitmq::AmqpConnection> OpenQueue(
      const std::string& queue, const std::string& binding_key = "certfleet.#") {
    auto endpoint = ResolveBrokerConfig(Config());
    EXPECT_TRUE(endpoint);
    auto connection = rabbitmq::AmqpConnection::Open(*endpoint);
    EXPECT_TRUE(connection) << connection.error().message;
    if (!connection) return nullptr;
    EXPECT_TRUE((*connection)->DeclareTopicExchange(exchange_));
    auto bound = (*connection)->DeclareBoundQueue(queue, exchange_, binding_key);
    EXPECT_TRUE(bound) << bound.error().message;
    return std::move(*connection);
  }

  // Consumes (and acks) from `queue` until `done(received so far)` or `timeout`.
  std::vector<rabbitmq::Delivery> DrainUntil(
      rabbitmq::AmqpConnection& connection, const std::string& queue,
      const std::function<bool(const std::vector<rabbitmq::Delivery>&)>& done,
      Duration timeout = 20s) {
    std::vector<rabbitmq::Delivery> got;
    auto consumed = connection.Consume(queue, 100);
    EXPECT_TRUE(consumed) << consumed.error().message;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(got) && std::chrono::steady_clock::now() < deadline) {
      auto delivery = connection.NextDelivery(100ms);
      if (!delivery) {
        ADD_FAILURE() << delivery.error().message;
        break;
      }
      if (!*delivery) continue;
      EXPECT_TRUE(connection.Ack((*delivery)->delivery_tag));
      got.push_back(std::move(**delivery));
    }
    return got;
  }

  // Consumes until `count` messages arrived or `timeout`.
  std::vector<rabbitmq::Delivery> Drain(rabbitmq::AmqpConnection& connection,
                                        const std::string& queue, std::size_t count,
                                        Duration timeout = 20s) {
    return DrainUntil(
        connection, queue, [&](const auto& got) { return got.size() >= count; }, timeout);
  }

  store::Event Append(const std::string& type, const std::string& subject,
                      const std::string& payload = "{}") {
    auto event = store_->AppendEvent(
        {"test"}, store::Event{.type = type, .subject = subject, .payload_json = payload});
    EXPECT_TRUE(event) << event.error().message;
    return event.value_or(store::Event{});
  }

  std::size_t Unpublished() {
    auto events = store_->ListUnpublishedEvents(100000);
    return events ? events->size() : 0;
  }

  harness::TempDir dir_{"bus"};
  SystemClock clock_;
  RabbitMqServer* broker_ = nullptr;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<OutboxRelay> relay_;
  std::string exchange_;
};

TEST_F(BusRabbitMqTest, EventsReachAConsumerInOrderPerDomainWithoutKeyMaterial) {
  auto consumer = OpenQueue("test.order");
  ASSERT_NE(consumer, nullptr);
  StartRelay();
  std::vector<store::Event> events;
  for (int i = 0; i < 30; ++i) {
    std::string domain = "d" + std::to_string(i % 3) + ".example";
    std::string payload =
        i == 7 ? R"({"oops":"-----BEGIN PRIVATE KEY-----"})" : R"({"n":)" + std::to_string(i) + "}";
    events.push_back(
        Append(i % 2 ? "certificate.issued" : "domain.updated", "domain:" + domain, payload));
  }
  auto got = Drain(*consumer, "test.order", events.size());
  ASSERT_EQ(got.size(), events.size()) << "not every event reached the consumer";
  std::map<std::string, std::int64_t> last_revision;  // per routing key's domain
  for (const rabbitmq::Delivery& d : got) {
    EXPECT_EQ(d.body.find("PRIVATE KEY"), std::string::npos)
        << "key material on the bus: " << d.body;
    auto change = ParseChange(d.body, d.routing_key);
    ASSERT_TRUE(change);
    std::string domain = d.routing_key.substr(d.routing_key.rfind(".d") + 1);
    EXPECT_GT(change->revision, last_revision[domain]) << "out of order for " << domain;
    last_revision[domain] = change->revision;
  }
  EXPECT_EQ(got[0].routing_key, "certfleet.domain.updated.d0.example");
  EXPECT_EQ(got[1].routing_key, "certfleet.certificate.issued.d1.example");
  EXPECT_TRUE(WaitFor([&] { return Unpublished() == 0; }, 5s)) << "confirmed events not marked";
}

TEST_F(BusRabbitMqTest, AgentSubscriberReceivesOnlyItsOwnMachinesChanges) {
  auto subscriber = rabbitmq::MakeRabbitMqSubscriber(Config(), {.machine = "web-01"});
  ASSERT_TRUE(subscriber) << subscriber.error().message;
  std::mutex mu;
  std::vector<Change> changes;
  ASSERT_TRUE((*subscriber)->Start([&](const Change& c) {
    std::lock_guard lock(mu);
    changes.push_back(c);
  }));
  ASSERT_TRUE(WaitFor([&] { return (*subscriber)->Connected(); }, 10s)) << "never connected";
  StartRelay();
  Append("machine.desired_changed", "machine:web-02", R"({"machine":"web-02"})");
  store::Event mine =
      Append("machine.desired_changed", "machine:web-01", R"({"machine":"web-01"})");
  Append("domain.updated", "domain:a.example");
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return changes.size() >= 2;
      },
      10s));
  ASSERT_TRUE(WaitFor([&] { return Unpublished() == 0; }, 5s));
  std::this_thread::sleep_for(200ms);  // would another machine's event still arrive?
  std::lock_guard lock(mu);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].type, rabbitmq::kConnectedChangeType);
  EXPECT_EQ(changes[1].revision, mine.revision);
  EXPECT_EQ(changes[1].event_id, mine.id);
  EXPECT_EQ(changes[1].routing_key, "certfleet.machine.web-01.desired_changed");
  auto depth = broker_->QueueDepth("certfleet.agent.web-01");
  ASSERT_TRUE(depth) << depth.error().message;
  EXPECT_EQ(*depth, 0) << "the subscriber did not ack";
}

// Review 2026-12-06, F10: a machine named "#" bound certfleet.machine.#.desired_changed,
// i.e. every machine's changes.
TEST_F(BusRabbitMqTest, AMachineNamedLikeAWildcardGetsOnlyItsOwnChanges) {
  auto subscriber = rabbitmq::MakeRabbitMqSubscriber(Config(), {.machine = "#"});
  ASSERT_TRUE(subscriber) << subscriber.error().message;
  std::mutex mu;
  std::vector<Change> changes;
  ASSERT_TRUE((*subscriber)->Start([&](const Change& c) {
    std::lock_guard lock(mu);
    changes.push_back(c);
  }));
  ASSERT_TRUE(WaitFor([&] { return (*subscriber)->Connected(); }, 10s)) << "never connected";
  StartRelay();
  Append("machine.desired_changed", "machine:web-02", R"({"machine":"web-02"})");
  store::Event mine = Append("machine.desired_changed", "machine:#", R"({"machine":"#"})");
  ASSERT_TRUE(WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return changes.size() >= 2;
      },
      10s));
  ASSERT_TRUE(WaitFor([&] { return Unpublished() == 0; }, 5s));
  std::this_thread::sleep_for(200ms);  // would web-02's event still arrive?
  std::lock_guard lock(mu);
  ASSERT_EQ(changes.size(), 2u) << "the '#' machine received another machine's change";
  EXPECT_EQ(changes[1].revision, mine.revision);
}

// docs/events.md "Per-agent broker users", applied to a real broker: each agent's user
// may consume its own queue, bound with its own key only; it cannot widen its binding,
// read another agent's queue, publish, or touch the exchange.
TEST_F(BusRabbitMqTest, PerAgentBrokerUsersSeeOnlyTheirOwnMachine) {
  StartRelay();  // the hub's relay declares the exchange
  Append("domain.updated", "domain:a.example");
  ASSERT_TRUE(WaitFor([&] { return Unpublished() == 0; }, 10s));
  const std::string escaped_exchange = std::regex_replace(exchange_, std::regex(R"(\.)"), R"(\.)");
  for (const std::string machine : {"web-01", "web-02"}) {
    const std::string user = "agent-" + machine;
    const std::string queue = R"(^certfleet\.agent\.)" + machine + "$";
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"add_user", user, "pw-" + machine},
             {"set_permissions", "-p", "/", user, queue, queue,
              "^" + escaped_exchange + "$|" + queue},
             {"set_topic_permissions", "-p", "/", user, exchange_, "^$",
              R"(^certfleet\.machine\.)" + machine + R"(\.desired_changed$)"}}) {
      auto ran = broker_->Ctl(args);
      ASSERT_TRUE(ran && ran->exit_code == 0)
          << args[0] << ": " << (ran ? ran->output : ran.error().message);
    }
  }
  BrokerConfig as_web01 = Config();
  as_web01.user = "agent-web-01";
  as_web01.password = "pw-web-01";
  // What the agent does: its queue, its key, consume.
  auto subscriber = rabbitmq::MakeRabbitMqSubscriber(as_web01, {.machine = "web-01"});
  ASSERT_TRUE(subscriber) << subscriber.error().message;
  std::atomic<int> changes{0};
  ASSERT_TRUE((*subscriber)->Start([&](const Change&) { ++changes; }));
  ASSERT_TRUE(WaitFor([&] { return (*subscriber)->Connected(); }, 10s))
      << "the documented permissions must let the agent do its job";
  Append("machine.desired_changed", "machine:web-01", R"({"machine":"web-01"})");
  EXPECT_TRUE(WaitFor([&] { return changes >= 2; }, 10s)) << "its own change must arrive";
  (*subscriber)->Stop();
  // What a thief with web-01's broker password might try next: each must be refused.
  auto endpoint = ResolveBrokerConfig(as_web01);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  const auto refused = [&](const std::string& what, auto&& attempt) {
    auto connection = rabbitmq::AmqpConnection::Open(*endpoint);
    ASSERT_TRUE(connection) << connection.error().message;
    Status s = attempt(**connection);
    EXPECT_FALSE(s) << what << " was allowed";
    if (!s) {
      EXPECT_EQ(s.error().code, ErrorCode::kPermissionDenied) << what << ": " << s.error().message;
    }
  };
  refused("binding its queue with #", [&](rabbitmq::AmqpConnection& c) {
    return c.DeclareBoundQueue("certfleet.agent.web-01", exchange_, "#");
  });
  refused("binding its queue with web-02's key", [&](rabbitmq::AmqpConnection& c) {
    return c.DeclareBoundQueue("certfleet.agent.web-01", exchange_, MachineRoutingKey("web-02"));
  });
  refused("declaring a queue of its own choice",
          [&](rabbitmq::AmqpConnection& c) { return c.DeclareBoundQueue("spy", exchange_, "#"); });
  refused("consuming web-02's queue",
          [&](rabbitmq::AmqpConnection& c) { return c.Consume("certfleet.agent.web-02", 1); });
  refused("declaring (or redeclaring) the exchange",
          [&](rabbitmq::AmqpConnection& c) { return c.DeclareTopicExchange(exchange_); });
}

TEST_F(BusRabbitMqTest, RelayStoppedBetweenCommitAndPublishDeliversAfterANewRelayStarts) {
  auto consumer = OpenQueue("test.crash");
  ASSERT_NE(consumer, nullptr);
  {
    auto publisher = rabbitmq::MakeRabbitMqPublisher(Config());
    ASSERT_TRUE(publisher);
    OutboxRelay killed(*store_, std::move(*publisher), clock_);  // dies before publishing
    store_->SetCommitListener([&](store::Revision) { killed.Wake(); });
    Append("certificate.issued", "domain:a.example");
    store_->SetCommitListener(nullptr);
  }
  ASSERT_EQ(Unpublished(), 1u);
  StartRelay();
  auto got = Drain(*consumer, "test.crash", 1);
  ASSERT_EQ(got.size(), 1u) << "the committed event was lost with the relay";
  EXPECT_EQ(got[0].routing_key, "certfleet.certificate.issued.a.example");
}

TEST_F(BusRabbitMqTest, WrongPasswordAndBadUrlGiveClearErrorsAndTheStoreKeepsWorking) {
  BrokerConfig wrong = Config();
  wrong.password = "not-the-password";
  auto publisher = rabbitmq::MakeRabbitMqPublisher(wrong);
  ASSERT_TRUE(publisher);
  auto connected = (*publisher)->Connect();
  ASSERT_FALSE(connected);
  EXPECT_EQ(
      connected.error().message,
      "RabbitMQ at " + broker_->Url() + ": login refused (ACCESS_REFUSED) — check user/password");
  EXPECT_EQ(connected.error().message.find("not-the-password"), std::string::npos);

  BrokerConfig closed = Config();
  closed.url = "amqp://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()) + "/";
  auto unreachable = rabbitmq::MakeRabbitMqPublisher(closed);
  ASSERT_TRUE(unreachable);
  auto refused = (*unreachable)->Connect();
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find(": connecting: "), std::string::npos)
      << refused.error().message;

  auto bad_url = rabbitmq::MakeRabbitMqPublisher(BrokerConfig{.url = "rabbitmq://x"});
  ASSERT_FALSE(bad_url);
  EXPECT_NE(bad_url.error().message.find("scheme must be amqp:// or amqps://"), std::string::npos);

  // A relay with the wrong password: commits stay fast, events stay in the outbox.
  relay_ = std::make_unique<OutboxRelay>(*store_, std::move(*publisher), clock_,
                                         RelayOptions{.poll_interval = 50ms, .min_backoff = 20ms});
  store_->SetCommitListener([relay = relay_.get()](store::Revision) { relay->Wake(); });
  relay_->Start();
  auto before = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) Append("domain.updated", "domain:a.example");
  EXPECT_LT(std::chrono::steady_clock::now() - before, 2s) << "the broker slowed down commits";
  ASSERT_TRUE(WaitFor([&] { return !relay_->status().healthy; }, 5s));
  EXPECT_NE(relay_->status().last_error.find("login refused"), std::string::npos)
      << relay_->status().last_error;
  EXPECT_EQ(Unpublished(), 20u);
}

TEST_F(BusRabbitMqTest, BrokerRestartWhileEventsAreAppendedLosesNothing) {
  ASSERT_NE(OpenQueue("test.outage"), nullptr);  // durable: keeps messages across the restart
  auto subscriber = rabbitmq::MakeRabbitMqSubscriber(
      Config(), {.machine = "web-01", .min_backoff = 50ms, .max_backoff = 500ms});
  ASSERT_TRUE(subscriber);
  std::atomic<int> connects{0};
  std::atomic<std::int64_t> agent_saw{0};
  ASSERT_TRUE((*subscriber)->Start([&](const Change& c) {
    if (c.type == rabbitmq::kConnectedChangeType) ++connects;
    agent_saw = std::max(agent_saw.load(), c.revision);
  }));
  ASSERT_TRUE(WaitFor([&] { return (*subscriber)->Connected(); }, 10s));
  StartRelay();

  // The hub keeps changing domains during the whole outage.
  std::atomic<bool> stop{false};
  std::vector<std::string> ids;
  std::mutex ids_mu;
  std::thread hub([&] {
    for (int i = 0; !stop; ++i) {
      store::Event e = Append(i % 5 ? "domain.updated" : "machine.desired_changed",
                              i % 5 ? "domain:a.example" : "machine:web-01");
      std::lock_guard lock(ids_mu);
      ids.push_back(e.id);
      std::this_thread::sleep_for(10ms);
    }
  });
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(broker_->StopBroker());
  EXPECT_TRUE(WaitFor([&] { return !relay_->status().healthy; }, 10s)) << "outage not noticed";
  EXPECT_FALSE((*subscriber)->Connected());
  ASSERT_TRUE(broker_->StartBroker());
  std::this_thread::sleep_for(200ms);
  stop = true;
  hub.join();

  ASSERT_TRUE(WaitFor([&] { return Unpublished() == 0; }, 30s))
      << Unpublished() << " events still in the outbox after the broker returned; last error: "
      << relay_->status().last_error;
  EXPECT_TRUE(relay_->status().healthy);
  EXPECT_TRUE(WaitFor([&] { return connects.load() >= 2; }, 30s))
      << "the subscriber did not reconnect";

  auto consumer = OpenQueue("test.outage");
  ASSERT_NE(consumer, nullptr);
  // At-least-once: duplicates are expected after the outage; drop them by event id.
  std::set<std::string> expected(ids.begin(), ids.end());
  std::set<std::string> delivered;
  std::size_t seen = 0;
  auto got =
      DrainUntil(*consumer, "test.outage", [&](const std::vector<rabbitmq::Delivery>& so_far) {
        for (; seen < so_far.size(); ++seen) {
          delivered.insert(ParseChange(so_far[seen].body, so_far[seen].routing_key)->event_id);
        }
        return delivered == expected;
      });
  std::printf("broker restart: %zu events, %zu messages delivered (%zu duplicates)\n",
              expected.size(), got.size(), got.size() - delivered.size());
  EXPECT_EQ(delivered, expected) << "events lost across the broker restart (" << delivered.size()
                                 << " of " << expected.size() << " distinct delivered)";
  auto last = store_->MaxRevision();
  ASSERT_TRUE(last);
  // The agent converges: it was told about a revision at or after its last machine event.
  EXPECT_TRUE(WaitFor([&] { return agent_saw.load() >= *last - 4; }, 10s))
      << "agent saw revision " << agent_saw.load() << ", last " << *last;
}

}  // namespace
}  // namespace certfleet::bus
