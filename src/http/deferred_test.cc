// Deferred (async) handlers and Stop(): the long-poll path the hub's event watch uses.
#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "harness/http_client.h"
#include "http/server.h"

namespace certfleet::http {
namespace {

using harness::HttpClient;
using harness::HttpGet;
using harness::HttpResult;
using namespace std::chrono_literals;

// Parks responders like the hub's watch does, so a test can answer them later.
class Waiters {
 public:
  void Add(Responder responder) {
    std::lock_guard lock(mu_);
    waiting_.push_back(std::move(responder));
    changed_.notify_all();
  }
  // Blocks until `n` responders are parked.
  bool AwaitCount(size_t n) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, 5s, [&] { return waiting_.size() >= n; });
  }
  int SendAll(const std::string& text) {
    std::lock_guard lock(mu_);
    int sent = 0;
    for (const Responder& r : waiting_) sent += r.Send(Response::Text(text)) ? 1 : 0;
    return sent;
  }
  bool AllDone() {
    std::lock_guard lock(mu_);
    for (const Responder& r : waiting_) {
      if (!r.Done()) return false;
    }
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Responder> waiting_;
};

std::unique_ptr<Server> StartWith(Waiters& waiters, std::chrono::milliseconds expire,
                                  ServerOptions options = {}) {
  Router router;
  router.AddAsync("GET", "/events", [&waiters, expire](const Request& req, Responder r) {
    if (req.QueryParam("now")) {
      r.Send(Response::Text("immediate"));
      return;
    }
    if (expire.count() > 0) r.ExpireAfter(expire, Response::Text("no events"));
    waiters.Add(std::move(r));
  });
  router.AddAsync("GET", "/throws",
                  [](const Request&, Responder) { throw std::runtime_error("async kaput"); });
  auto server = Server::Start(std::move(options), std::move(router));
  if (!server) throw std::runtime_error(server.error().message);
  return std::move(*server);
}

TEST(DeferredTest, ResponseSentFromAnotherThreadReachesTheClient) {
  Waiters waiters;
  auto server = StartWith(waiters, 0ms);
  auto pending =
      std::async(std::launch::async, [&] { return HttpGet(server->BaseUrl() + "/events"); });
  ASSERT_TRUE(waiters.AwaitCount(1)) << "the async handler never ran";
  std::thread sender([&] { EXPECT_EQ(waiters.SendAll("event 7"), 1); });
  sender.join();
  HttpResult result = pending.get();
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, "event 7");
  EXPECT_EQ(waiters.SendAll("late"), 0) << "a second Send on an answered request must be refused";
}

TEST(DeferredTest, ImmediateSendInsideHandlerIsAnswered) {
  Waiters waiters;
  auto server = StartWith(waiters, 0ms);
  HttpClient client;
  for (int i = 0; i < 3; ++i) {
    auto result = client.Fetch(server->BaseUrl() + "/events?now=1");
    EXPECT_EQ(result.body, "immediate");
  }
}

TEST(DeferredTest, ExpireAfterAnswersTheFallbackOnTime) {
  Waiters waiters;
  auto server = StartWith(waiters, 100ms);
  auto started = std::chrono::steady_clock::now();
  HttpResult result = HttpGet(server->BaseUrl() + "/events");
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.status, 200) << result.error;
  EXPECT_EQ(result.body, "no events");
  EXPECT_GE(elapsed, 90ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_TRUE(waiters.AllDone()) << "a timed-out responder must report Done()";
}

TEST(DeferredTest, WithoutExpireTheServerDefaultAnswers504) {
  Waiters waiters;
  ServerOptions options;
  options.deferred_timeout = 100ms;
  auto server = StartWith(waiters, 0ms, options);
  HttpResult result = HttpGet(server->BaseUrl() + "/events");
  EXPECT_EQ(result.status, 504) << result.error;
  // Built only when the deadline passes; it still says which request and which limit.
  auto body = nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
  EXPECT_EQ(body["error"]["code"], "deadline_exceeded") << result.body;
  EXPECT_EQ(body["error"]["message"], "no answer for GET /events within 100 ms") << result.body;
}

TEST(DeferredTest, KeepAliveContinuesAfterDeferredResponse) {
  Waiters waiters;
  auto server = StartWith(waiters, 50ms);
  HttpClient client;
  EXPECT_EQ(client.Fetch(server->BaseUrl() + "/events").body, "no events");
  auto second = client.Fetch(server->BaseUrl() + "/events?now=1");
  EXPECT_EQ(second.body, "immediate");
  EXPECT_TRUE(second.reused_connection);
}

TEST(DeferredTest, AsyncHandlerExceptionBecomes500) {
  Waiters waiters;
  auto server = StartWith(waiters, 0ms);
  HttpResult result = HttpGet(server->BaseUrl() + "/throws");
  EXPECT_EQ(result.status, 500) << result.error;
}

TEST(DeferredTest, StopAnswersWaitingRequestsWith503AndClosesIdleConnections) {
  Waiters waiters;
  auto server = StartWith(waiters, 0ms);
  HttpClient idle;
  ASSERT_EQ(idle.Fetch(server->BaseUrl() + "/events?now=1").status, 200);  // stays kept alive
  auto pending =
      std::async(std::launch::async, [&] { return HttpGet(server->BaseUrl() + "/events"); });
  ASSERT_TRUE(waiters.AwaitCount(1));
  auto started = std::chrono::steady_clock::now();
  server->Stop();
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, 1s) << "Stop waited for the grace period instead of closing connections";
  HttpResult result = pending.get();
  EXPECT_EQ(result.status, 503) << result.error;
  EXPECT_TRUE(waiters.AllDone());
  EXPECT_EQ(waiters.SendAll("after stop"), 0) << "Send after Stop must do nothing";
  auto after = idle.Fetch(server->BaseUrl() + "/events?now=1");
  EXPECT_FALSE(after.ok()) << "the server still answers after Stop";
}

}  // namespace
}  // namespace certfleet::http
