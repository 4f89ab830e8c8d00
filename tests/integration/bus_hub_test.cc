// Issue 5, the wired system: a real certfleet-hub publishing its outbox to a real
// rabbitmq-server, real certfleet-agents consuming their durable queues (watch stream
// off), broker outages, a hub killed before publishing, and broker config errors.
#include <map>

#include "bus_hub_fixture.h"
#include "harness/net.h"

namespace certfleet::bus {
namespace {

using namespace std::chrono_literals;
using harness::WaitFor;

std::set<std::string> AsSet(const std::vector<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

TEST_F(BusHubFixture, EventsReachAConsumerInOrderPerDomainWithoutKeyMaterial) {
  ASSERT_NO_FATAL_FAILURE(DeclareConsumerQueue());
  WriteHubConfig();
  ASSERT_NO_FATAL_FAILURE(StartHub());
  AddMachine("web-1");
  for (const std::string domain : {"a.bus.test", "b.bus.test", "c.bus.test"}) {
    AddDomain(domain, "web-1");
    UploadCertificate(domain);  // the request carries a private key; no event may
    UploadCertificate(domain);
  }
  const auto ids = EventIds();
  ASSERT_GE(ids.size(), 10u);
  const auto got = Consume(AsSet(ids));
  std::map<std::string, std::int64_t> last_revision;  // per subject
  std::set<std::string> seen;
  for (const auto& delivery : got) {
    EXPECT_EQ(delivery.body.find("PRIVATE KEY"), std::string::npos)
        << "key material on the bus (" << delivery.routing_key << ")";
    auto body = nlohmann::json::parse(delivery.body);
    if (!seen.insert(body["id"].get<std::string>()).second) continue;  // at-least-once duplicate
    const std::string subject = body["subject"];
    const std::int64_t revision = body["revision"];
    EXPECT_GT(revision, last_revision[subject]) << subject << ": events out of order";
    last_revision[subject] = revision;
  }
  EXPECT_EQ(seen, AsSet(ids)) << "every event of the hub must reach the consumer";
}

TEST_F(BusHubFixture, AgentsConvergeOverRabbitMqAcrossABrokerRestart) {
  ASSERT_NO_FATAL_FAILURE(DeclareConsumerQueue());
  WriteHubConfig();
  ASSERT_NO_FATAL_FAILURE(StartHub());
  const std::string token1 = AddMachine("web-1");
  const std::string token2 = AddMachine("web-2");
  AddDomain("before.bus.test", "web-1");
  const std::string out1 = StartAgent("web-1", token1);
  const std::string out2 = StartAgent("web-2", token2);
  std::string leaf = UploadCertificate("before.bus.test");
  ASSERT_TRUE(WaitFor([&] { return Serves(out1, "before.bus.test", leaf); }, 60s, 20ms))
      << "the agent of web-1 did not deploy after a RabbitMQ message";

  ASSERT_TRUE(broker_->StopBroker());
  std::map<std::string, std::pair<std::string, std::string>> deployed;  // domain → {out, leaf}
  for (int i = 0; i < 4; ++i) {
    const std::string domain = "outage" + std::to_string(i) + ".bus.test";
    const std::string machine = i % 2 == 0 ? "web-1" : "web-2";
    AddDomain(domain, machine);  // the hub keeps working while the broker is down
    deployed[domain] = {machine == "web-1" ? out1 : out2, UploadCertificate(domain)};
  }
  ASSERT_TRUE(broker_->StartBroker());

  const auto ids = EventIds();
  const auto got = Consume(AsSet(ids));
  std::set<std::string> seen;
  for (const auto& delivery : got) seen.insert(EventIdOf(delivery));
  EXPECT_EQ(seen, AsSet(ids))
      << "every event committed during the outage must be delivered after it";
  for (const auto& [domain, where] : deployed) {
    EXPECT_TRUE(WaitFor([&] { return Serves(where.first, domain, where.second); }, 120s, 50ms))
        << domain << " was not deployed after the broker came back";
  }
}

TEST_F(BusHubFixture, HubKilledBeforePublishingDeliversTheEventAfterRestart) {
  ASSERT_NO_FATAL_FAILURE(DeclareConsumerQueue());
  // Nothing listens on this port: the hub commits, but cannot publish.
  const std::string nowhere =
      "amqp://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()) + "/";
  WriteHubConfig(nowhere);
  ASSERT_NO_FATAL_FAILURE(StartHub());
  AddMachine("web-1");
  AddDomain("killed.bus.test", "web-1");
  const auto ids = EventIds();
  ASSERT_TRUE(
      WaitFor([&] { return hub_->Log().find("cannot publish") != std::string::npos; }, 30s, 20ms))
      << "an unreachable broker must be logged";
  EXPECT_NE(hub_->Log().find("127.0.0.1"), std::string::npos) << "the log must name the broker";
  ASSERT_NO_FATAL_FAILURE(KillHub());

  WriteHubConfig();  // the broker is reachable again
  ASSERT_NO_FATAL_FAILURE(StartHub());
  const auto got = Consume(AsSet(ids), 60s);
  std::set<std::string> seen;
  for (const auto& delivery : got) seen.insert(EventIdOf(delivery));
  EXPECT_EQ(seen, AsSet(ids))
      << "events committed before the kill must be published after the restart";
}

TEST_F(BusHubFixture, WrongPasswordIsAClearErrorAndTheHubKeepsWorking) {
  WriteHubConfig("", "user = \"guest\"\npassword = \"not-the-password\"\n");
  ASSERT_NO_FATAL_FAILURE(StartHub());
  AddMachine("web-1");
  AddDomain("login.bus.test", "web-1");
  ASSERT_TRUE(
      WaitFor([&] { return hub_->Log().find("login refused") != std::string::npos; }, 30s, 20ms))
      << "a refused login must be logged clearly";
  EXPECT_EQ(hub_->Log().find("not-the-password"), std::string::npos) << "the password was logged";
  const auto health = Api("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body["status"], "degraded") << health.body.dump();
  EXPECT_EQ(health.body["components"]["rabbitmq"]["healthy"], false) << health.body.dump();
  EXPECT_NE(
      health.body["components"]["rabbitmq"]["detail"].get<std::string>().find("login refused"),
      std::string::npos)
      << health.body.dump();
  EXPECT_EQ(health.body.dump().find("not-the-password"), std::string::npos)
      << "the password was shown";
  EXPECT_EQ(Api("GET", "/api/v1/domains/login.bus.test").status, 200)
      << "the API must keep working";
  UploadCertificate("login.bus.test");
  EXPECT_EQ(Api("POST", "/api/v1/customers", {{"name", "after"}}).status, 201);
}

TEST_F(BusHubFixture, MalformedBrokerUrlStopsTheHubWithTheKeyNamed) {
  WriteHubConfig("http://guest:secret@127.0.0.1:5672/");
  auto hub = harness::Subprocess::Start(
      {.argv = {CERTFLEET_HUB_BIN, "--config", (*dir_ / "hub.toml").string()},
       .log_file = *dir_ / "hub-bad.log"});
  ASSERT_TRUE(hub) << hub.error().message;
  const auto code = (*hub)->Wait(30s);
  ASSERT_TRUE(code.has_value()) << "the hub must refuse a malformed [rabbitmq] url";
  EXPECT_NE(*code, 0);
  const std::string log = (*hub)->Log();
  EXPECT_NE(log.find("rabbitmq"), std::string::npos) << log;
  EXPECT_NE(log.find("amqp:// or amqps://"), std::string::npos) << log;
  EXPECT_EQ(log.find("secret"), std::string::npos) << "the password was shown: " << log;
}

}  // namespace
}  // namespace certfleet::bus
