// Benchmark: events per second published to a real RabbitMQ with publisher confirms.
//   1. RabbitMqPublisher alone, by batch size (confirms awaited per batch).
//   2. The whole path: events appended to SQLite, OutboxRelay publishing and marking them.
// Starts its own broker on free loopback ports (tests/harness). Prints a table.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bus/event_message.h"
#include "bus/outbox_relay.h"
#include "bus/rabbitmq/rabbitmq_publisher.h"
#include "harness/rabbitmq_server.h"
#include "harness/temp_dir.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::bus {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::vector<Message> MakeMessages(int n) {
  std::vector<Message> messages;
  for (int i = 1; i <= n; ++i) {
    store::Event event{.revision = i,
                       .id = std::to_string(1'000'000 + i),
                       .type = "certificate.renewed",
                       .subject = "domain:d" + std::to_string(i % 100) + ".example.com",
                       .payload_json =
                           R"({"serial":"04a1b2","sha256":"9f86d081884c7d65",)"
                           R"("not_after":"2027-02-26T20:04:05Z","machines":["web-01"]})"};
    messages.push_back(*BuildMessage(event));
  }
  return messages;
}

int PublisherOnly(const std::string& url, int total) {
  std::printf("| path | batch | events | seconds | events/s |\n|---|---:|---:|---:|---:|\n");
  auto messages = MakeMessages(total);
  for (std::size_t batch : {1u, 10u, 100u, 500u}) {
    auto publisher = rabbitmq::MakeRabbitMqPublisher({.url = url, .exchange = "bench.events"});
    if (!publisher || !(*publisher)->Connect()) return 1;
    int events = batch == 1 ? total / 5 : total;
    auto start = Clock::now();
    for (int i = 0; i < events; i += static_cast<int>(batch)) {
      std::size_t n = std::min<std::size_t>(batch, static_cast<std::size_t>(events - i));
      auto outcome =
          (*publisher)->Publish(std::span(messages).subspan(static_cast<std::size_t>(i), n));
      if (!outcome.status) {
        std::fprintf(stderr, "publish: %s\n", outcome.status.error().message.c_str());
        return 1;
      }
    }
    double s = Seconds(Clock::now() - start);
    std::printf("| publisher | %zu | %d | %.3f | %.0f |\n", batch, events, s, events / s);
  }
  return 0;
}

int RelayEndToEnd(const std::string& url, int total) {
  harness::TempDir dir("bus-bench");
  auto store = store::OpenSqliteStore({.path = (dir / "hub.db").string()});
  auto publisher = rabbitmq::MakeRabbitMqPublisher({.url = url, .exchange = "bench.events"});
  if (!store || !publisher) return 1;
  for (int i = 0; i < total; ++i) {
    (void)(*store)->AppendEvent(
        {"bench"}, store::Event{.type = "domain.updated", .subject = "domain:d.example.com"});
  }
  SystemClock clock;
  OutboxRelay relay(**store, std::move(*publisher), clock, {.batch_size = 200});
  auto start = Clock::now();
  relay.Start();
  while (relay.status().published < total)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double s = Seconds(Clock::now() - start);
  std::printf("| outbox relay (SQLite → RabbitMQ, marked) | 200 | %d | %.3f | %.0f |\n", total, s,
              total / s);
  return 0;
}

}  // namespace
}  // namespace certfleet::bus

int main(int argc, char** argv) {
  int total = argc > 1 ? std::stoi(argv[1]) : 20000;
  auto broker = certfleet::harness::RabbitMqServer::Start();
  if (!broker) {
    std::fprintf(stderr, "%s\n", broker.error().message.c_str());
    return 1;
  }
  std::printf(
      "RabbitMQ publish with confirms (persistent messages, durable topic exchange, no queue "
      "bound)\n\n");
  int rc = certfleet::bus::PublisherOnly((*broker)->Url(), total);
  if (rc == 0) rc = certfleet::bus::RelayEndToEnd((*broker)->Url(), total);
  return rc;
}
