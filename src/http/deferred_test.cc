// Deferred (async) handlers and Stop(): the long-poll path the hub's event watch uses.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

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

// ---- answers before new requests (issue 16) -------------------------------------------------

// A raw client connection, so a test can send a request without waiting for its answer and
// see whether an answer has been written without reading it.
class RawClient {
 public:
  explicit RawClient(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("connect failed");
    }
    timeval tv{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  int fd() const { return fd_; }
  void Send(const std::string& target) {
    const std::string request = "GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n";
    ASSERT_EQ(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
  }
  // Whether the server has written something this client has not read (never blocks).
  static bool HasAnswer(int fd) {
    char byte = 0;
    return ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 1;
  }
  // Reads one response (Content-Length framed) and returns its body; "<closed>" if the
  // connection ends first, "<timeout>" after 5 s without it.
  std::string ReadBody() {
    std::string data;
    char buffer[4096];
    while (true) {
      const auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto at = data.find("Content-Length: ");
        const std::size_t length =
            at == std::string::npos ? 0 : std::stoul(data.substr(at + 16, data.find('\r', at)));
        if (data.size() >= end + 4 + length) {
          std::string body = data.substr(end + 4, length);
          data.erase(0, end + 4 + length);
          return body;
        }
      }
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n == 0) return "<closed>";
      if (n < 0) return "<timeout>";
      data.append(buffer, static_cast<std::size_t>(n));
    }
  }

 private:
  int fd_;
};

// The io thread holds answers of parked long polls (sent by another part of the program) and
// requests of other clients that it has read already. Each answer must be written before the
// next of those requests is served: the dispatcher of the hub answers 10,000 watches at once,
// and each waited behind the passes of the agents answered before it.
TEST(DeferredTest, AnswersSentMeanwhileAreWrittenBeforeTheNextRequestIsServed) {
  constexpr int kParked = 6;
  constexpr int kPings = 4;
  Waiters waiters;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<int> parked_fds;
  std::mutex mu;
  std::vector<int> answers_seen;  // per /ping served: how many parked clients had their answer
  Router router;
  router.AddAsync("GET", "/events",
                  [&](const Request&, Responder r) { waiters.Add(std::move(r)); });
  router.Add("GET", "/block", [&](const Request&) {
    entered.set_value();
    released.wait();
    return Response::Text("unblocked");
  });
  router.Add("GET", "/ping", [&](const Request& req) {
    if (req.QueryParam("warm")) return Response::Text("warm");
    std::lock_guard lock(mu);
    // The first ping served answers every parked request (from this io thread, as the
    // hub's report writer or dispatcher would from theirs); the others look at once.
    if (answers_seen.empty()) {
      EXPECT_EQ(waiters.SendAll("answer"), kParked);
    }
    int seen = 0;
    for (int fd : parked_fds) seen += RawClient::HasAnswer(fd) ? 1 : 0;
    answers_seen.push_back(seen);
    return Response::Text("pong");
  });
  ServerOptions options;
  options.io_threads = 1;
  auto server = Server::Start(std::move(options), std::move(router));
  ASSERT_TRUE(server) << server.error().message;
  const uint16_t port = (*server)->port();

  // Accepted and idle on the one io thread before it is blocked.
  std::vector<std::unique_ptr<RawClient>> pings;
  for (int i = 0; i < kPings; ++i) {
    pings.push_back(std::make_unique<RawClient>(port));
    pings.back()->Send("/ping?warm=1");
    ASSERT_EQ(pings.back()->ReadBody(), "warm");
  }
  std::vector<std::unique_ptr<RawClient>> parked;
  for (int i = 0; i < kParked; ++i) {
    parked.push_back(std::make_unique<RawClient>(port));
    parked.back()->Send("/events");
    parked_fds.push_back(parked.back()->fd());
  }
  ASSERT_TRUE(waiters.AwaitCount(kParked));
  RawClient blocker(port);
  blocker.Send("/block");
  entered.get_future().wait();
  // While the io thread is busy, every ping arrives: it reads them all at its next look.
  for (auto& ping : pings) ping->Send("/ping");
  std::this_thread::sleep_for(20ms);
  release.set_value();

  EXPECT_EQ(blocker.ReadBody(), "unblocked");
  for (auto& ping : pings) {
    EXPECT_EQ(ping->ReadBody(), "pong");
  }
  for (auto& client : parked) {
    EXPECT_EQ(client->ReadBody(), "answer");
  }
  std::lock_guard lock(mu);
  ASSERT_EQ(answers_seen.size(), static_cast<std::size_t>(kPings));
  EXPECT_EQ(answers_seen[0], 0);
  for (int i = 1; i < kPings; ++i) {
    EXPECT_EQ(answers_seen[static_cast<std::size_t>(i)], kParked)
        << "ping " << i << " was served before the answers sent during ping 0 were written";
  }
}

// Fairness: long polls answered as fast as their clients come back do not keep the io
// thread from reading and serving another client's requests.
TEST(DeferredTest, AStreamOfAnswersDoesNotStarveOtherClients) {
  Waiters waiters;
  auto server = StartWith(waiters, 0ms);  // one io thread
  std::atomic<bool> stop{false};
  std::atomic<bool> pollers_done{false};
  std::atomic<long> answered{0};
  std::vector<std::thread> pollers;
  for (int i = 0; i < 8; ++i) {
    pollers.emplace_back([&] {
      HttpClient client;
      while (!stop) {
        if (client.Fetch(server->BaseUrl() + "/events").status == 200) ++answered;
      }
    });
  }
  std::thread answerer([&] {
    while (!pollers_done) {  // until every poller's last long poll is answered too
      waiters.SendAll("x");
      std::this_thread::sleep_for(200us);
    }
  });
  // The other client keeps asking until the stream has delivered 100 answers since its
  // first request (and it has asked 20 times): however the threads are scheduled, its
  // requests are served while the stream flows, not before it starts or after it ends.
  HttpClient other;
  const long answered_before = answered.load();
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  int requests = 0;
  bool stream_stalled = false;
  while (requests < 20 || answered.load() - answered_before < 100) {
    if (std::chrono::steady_clock::now() > deadline) {
      stream_stalled = true;
      break;
    }
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(other.Fetch(server->BaseUrl() + "/events?now=1").body, "immediate");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "request " << requests;
    ++requests;
  }
  stop = true;
  for (auto& poller : pollers) poller.join();
  pollers_done = true;
  answerer.join();
  EXPECT_FALSE(stream_stalled) << "the long polls were not answered meanwhile: "
                               << answered.load() - answered_before << " answers during "
                               << requests << " requests of the other client";
}

// Stop cuts connections after stop_grace; a deferred request that still waits then (its io
// thread was held by another handler) is freed with the server (LeakSanitizer), its client
// sees the connection close, and its responder reports Done().
TEST(DeferredTest, ARequestStillWaitingWhenStopCutsConnectionsIsFreed) {
  Waiters waiters;
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Router router;
  router.AddAsync("GET", "/events",
                  [&](const Request&, Responder r) { waiters.Add(std::move(r)); });
  router.Add("GET", "/block", [&](const Request&) {
    entered.set_value();
    released.wait();
    return Response::Text("unblocked");
  });
  ServerOptions options;
  options.io_threads = 1;
  options.stop_grace = 100ms;
  auto server = Server::Start(std::move(options), std::move(router));
  ASSERT_TRUE(server) << server.error().message;
  RawClient waiting((*server)->port());
  waiting.Send("/events");
  ASSERT_TRUE(waiters.AwaitCount(1));
  RawClient blocker((*server)->port());
  blocker.Send("/block");
  entered.get_future().wait();
  std::thread releaser([&] {
    std::this_thread::sleep_for(300ms);  // after stop_grace: Stop has given up waiting
    release.set_value();
  });
  (*server)->Stop();
  releaser.join();
  server->reset();
  EXPECT_TRUE(waiters.AllDone());
  EXPECT_EQ(waiting.ReadBody(), "<closed>");
}

}  // namespace
}  // namespace certfleet::http
