#include "http/server.h"

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
#include <stdexcept>
#include <thread>

#include "harness/http_client.h"

namespace certfleet::http {
namespace {

using harness::HttpClient;
using harness::HttpFetch;
using harness::HttpGet;
using harness::HttpRequest;
using namespace std::chrono_literals;

std::unique_ptr<Server> StartOrDie(Router router, ServerOptions options = {}) {
  auto server = Server::Start(std::move(options), std::move(router));
  if (!server) throw std::runtime_error(server.error().message);
  return std::move(*server);
}

std::string ErrorCodeOf(const std::string& body) {
  return nlohmann::json::parse(body).at("error").at("code").get<std::string>();
}

// Sends `bytes` on a raw connection and returns what the server answers before closing
// (or before `wait` passes).
std::string RawExchange(uint16_t port, const std::string& bytes, std::chrono::milliseconds wait) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return "<connect failed>";
  }
  timeval tv{static_cast<time_t>(wait.count() / 1000),
             static_cast<suseconds_t>((wait.count() % 1000) * 1000)};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (!bytes.empty()) (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  std::string answer;
  char buffer[4096];
  while (true) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      if (n < 0) answer += "<timeout>";
      break;
    }
    answer.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return answer;
}

TEST(ServerTest, RoutesWithDecodedPathParamsAndQuery) {
  Router router;
  router.Add("GET", "/api/v1/domains/{name}", [](const Request& req) {
    return Response::Json({{"name", req.PathParam("name")},
                           {"view", req.QueryParam("view").value_or("none")},
                           {"agent", req.headers.Get("x-agent").value_or("")},
                           {"remote", req.remote_address}});
  });
  auto server = StartOrDie(std::move(router));
  HttpRequest request;
  request.headers = {"X-Agent: tester"};
  auto result = HttpFetch(server->BaseUrl() + "/api/v1/domains/a%2Fb.test?view=full%20x", request);
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.status, 200) << result.body;
  auto body = nlohmann::json::parse(result.body);
  EXPECT_EQ(body["name"], "a/b.test") << "an encoded slash belongs to the segment";
  EXPECT_EQ(body["view"], "full x");
  EXPECT_EQ(body["agent"], "tester") << "header lookup must ignore case";
  EXPECT_EQ(body["remote"], "127.0.0.1");
  EXPECT_EQ(result.headers["content-type"], "application/json");
}

TEST(ServerTest, UnknownPathIs404AndWrongMethodIs405WithJsonErrors) {
  Router router;
  router.Add("GET", "/only-get", [](const Request&) { return Response::Text("ok"); });
  auto server = StartOrDie(std::move(router));
  auto missing = HttpGet(server->BaseUrl() + "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCodeOf(missing.body), "not_found");
  HttpRequest post;
  post.method = "POST";
  post.body = "{}";
  auto wrong = HttpFetch(server->BaseUrl() + "/only-get", post);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.headers["allow"], "GET, HEAD");
  EXPECT_EQ(ErrorCodeOf(wrong.body), "method_not_allowed");
}

TEST(ServerTest, HeadAnswersHeadersWithoutBody) {
  Router router;
  router.Add("GET", "/x", [](const Request&) { return Response::Text("hello"); });
  auto server = StartOrDie(std::move(router));
  HttpRequest head;
  head.method = "HEAD";
  auto result = HttpFetch(server->BaseUrl() + "/x", head);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.headers["content-length"], "5");
  EXPECT_EQ(result.body, "");
}

TEST(ServerTest, FastPathAnswersPlainSegmentsAndRoutesTheRest) {
  Router router;
  router.AddSegmentFastPath(
      "/c/", [](std::string_view token) { return Response::Text("fast " + std::string(token)); });
  router.Add("GET", "/c/{token}", [](const Request& req) {
    return Response::Text("routed " + std::string(req.PathParam("token")));
  });
  router.AddSegmentFastPath(
      "/boom/", [](std::string_view) -> Response { throw std::runtime_error("broken handler"); });
  auto server = StartOrDie(std::move(router));
  EXPECT_EQ(HttpGet(server->BaseUrl() + "/c/abc").body, "fast abc");
  EXPECT_EQ(HttpGet(server->BaseUrl() + "/c/a%62c").body, "routed abc");
  EXPECT_EQ(HttpGet(server->BaseUrl() + "/c/abc?x=1").body, "routed abc");
  HttpRequest head;
  head.method = "HEAD";
  auto headed = HttpFetch(server->BaseUrl() + "/c/abc", head);
  EXPECT_EQ(headed.status, 200);
  EXPECT_EQ(headed.headers["content-length"], "8");
  EXPECT_EQ(headed.body, "");
  auto failed = HttpGet(server->BaseUrl() + "/boom/x");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(ErrorCodeOf(failed.body), "internal");
}

TEST(ServerTest, PostBodyReachesHandler) {
  Router router;
  router.Add("POST", "/echo", [](const Request& req) { return Response::Text(req.body, 201); });
  auto server = StartOrDie(std::move(router));
  HttpRequest post;
  post.method = "POST";
  post.body = std::string(200'000, 'x');  // large enough for curl to send Expect: 100-continue
  auto result = HttpFetch(server->BaseUrl() + "/echo", post);
  EXPECT_EQ(result.status, 201);
  EXPECT_EQ(result.body.size(), post.body.size());
}

TEST(ServerTest, OversizedBodyIs413JsonError) {
  Router router;
  bool called = false;
  router.Add("POST", "/upload", [&](const Request&) {
    called = true;
    return Response::Text("stored");
  });
  ServerOptions options;
  options.body_limit = 1024;
  auto server = StartOrDie(std::move(router), options);
  HttpRequest post;
  post.method = "POST";
  post.body = std::string(4096, 'x');
  auto result = HttpFetch(server->BaseUrl() + "/upload", post);
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.status, 413);
  EXPECT_EQ(ErrorCodeOf(result.body), "payload_too_large");
  EXPECT_FALSE(called) << "the handler must not see an oversized body";
}

TEST(ServerTest, ChunkedBodyOverLimitIs413) {
  Router router;
  router.Add("POST", "/upload", [](const Request&) { return Response::Text("stored"); });
  ServerOptions options;
  options.body_limit = 16;
  auto server = StartOrDie(std::move(router), options);
  std::string answer = RawExchange(server->port(),
                                   "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked"
                                   "\r\n\r\n20\r\n0123456789abcdef0123456789abcdef\r\n0\r\n\r\n",
                                   2s);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 413")) << answer;
}

TEST(ServerTest, OversizedHeadersAre431) {
  Router router;
  router.Add("GET", "/x", [](const Request&) { return Response::Text("ok"); });
  ServerOptions options;
  options.header_limit = 1024;
  auto server = StartOrDie(std::move(router), options);
  HttpRequest get;
  get.headers = {"X-Big: " + std::string(4096, 'a')};
  auto result = HttpFetch(server->BaseUrl() + "/x", get);
  EXPECT_EQ(result.status, 431) << result.error;
}

TEST(ServerTest, MalformedRequestIs400) {
  Router router;
  auto server = StartOrDie(std::move(router));
  std::string answer = RawExchange(server->port(), "GARBAGE\r\n\r\n", 2s);
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer;
}

TEST(ServerTest, KeepAliveReusesTheConnection) {
  Router router;
  router.Add("GET", "/x", [](const Request&) { return Response::Text("ok"); });
  auto server = StartOrDie(std::move(router));
  HttpClient client;
  auto first = client.Fetch(server->BaseUrl() + "/x");
  auto second = client.Fetch(server->BaseUrl() + "/x");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(second.status, 200);
  EXPECT_FALSE(first.reused_connection);
  EXPECT_TRUE(second.reused_connection) << "the server closed a keep-alive connection";
}

TEST(ServerTest, ServesConcurrentClientsOnSeveralThreads) {
  std::atomic<int> served{0};
  Router router;
  router.Add("GET", "/n/{i}", [&](const Request& req) {
    ++served;
    return Response::Text(std::string(req.PathParam("i")));
  });
  ServerOptions options;
  options.io_threads = 2;
  auto server = StartOrDie(std::move(router), options);
  constexpr int kClients = 8;
  constexpr int kRequests = 50;
  std::vector<std::future<int>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::async(std::launch::async, [&, c] {
      HttpClient client;
      int good = 0;
      for (int i = 0; i < kRequests; ++i) {
        std::string id = std::to_string(c * 1000 + i);
        auto result = client.Fetch(server->BaseUrl() + "/n/" + id);
        if (result.status == 200 && result.body == id) ++good;
      }
      return good;
    }));
  }
  int good = 0;
  for (auto& client : clients) good += client.get();
  EXPECT_EQ(good, kClients * kRequests) << "some responses were missing or mixed up";
  EXPECT_EQ(served.load(), kClients * kRequests);
}

TEST(ServerTest, HandlerExceptionBecomes500JsonAndServerKeepsServing) {
  Router router;
  router.Add("GET", "/boom", [](const Request&) -> Response { throw std::runtime_error("kaput"); });
  router.Add("GET", "/ok", [](const Request&) { return Response::Text("ok"); });
  auto server = StartOrDie(std::move(router));
  HttpClient client;
  auto boom = client.Fetch(server->BaseUrl() + "/boom");
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(ErrorCodeOf(boom.body), "internal");
  EXPECT_EQ(boom.body.find("kaput"), std::string::npos) << "exception text must stay in the log";
  EXPECT_EQ(client.Fetch(server->BaseUrl() + "/ok").status, 200);
}

TEST(ServerTest, StartFailsClearlyOnBusyPortAndBadAddress) {
  auto first = StartOrDie(Router{});
  ServerOptions busy;
  busy.listen = "127.0.0.1:" + std::to_string(first->port());
  auto second = Server::Start(busy, Router{});
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().message.find(busy.listen), std::string::npos) << second.error().message;
  ServerOptions bad;
  bad.listen = "127.0.0.1";
  auto third = Server::Start(bad, Router{});
  ASSERT_FALSE(third.has_value());
  EXPECT_EQ(third.error().code, ErrorCode::kInvalidArgument);
}

TEST(ServerTest, SlowClientIsDisconnectedAfterReadTimeout) {
  ServerOptions options;
  options.read_timeout = 200ms;
  auto server = StartOrDie(Router{}, options);
  auto started = std::chrono::steady_clock::now();
  std::string answer = RawExchange(server->port(), "GET / HTTP/1.1\r\nHost: x\r\n", 5s);
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(answer.find("<timeout>"), std::string::npos)
      << "the server never closed the connection";
  EXPECT_LT(elapsed, 3s);
}

}  // namespace
}  // namespace certfleet::http

namespace certfleet::http {
namespace {

TEST(ServerStreamedBody, PartsArriveChunkedAndTheConnectionIsReused) {
  Router router;
  router.Add("GET", "/big", [](const Request&) {
    Response response = Response::Text("");
    auto left = std::make_shared<int>(3);
    response.body_stream = [left](std::string& part) {
      part = "part " + std::to_string(*left) + "\n";
      return --*left > 0;
    };
    return response;
  });
  auto server = StartOrDie(std::move(router));
  HttpClient client;
  for (int round = 0; round < 2; ++round) {
    auto result = client.Fetch(server->BaseUrl() + "/big");
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "part 3\npart 2\npart 1\n");
    EXPECT_EQ(result.headers["transfer-encoding"], "chunked");
    if (round == 1) {
      EXPECT_TRUE(result.reused_connection) << "keep-alive after a chunked body";
    }
  }
}

TEST(ServerStreamedBody, Http10GetsTheRawBodyAndAClose) {
  Router router;
  router.Add("GET", "/big", [](const Request&) {
    Response response = Response::Text("");
    response.body_stream = [](std::string& part) {
      part = "all";
      return false;
    };
    return response;
  });
  auto server = StartOrDie(std::move(router));
  const std::string answer = RawExchange(server->port(), "GET /big HTTP/1.0\r\n\r\n", 2000ms);
  EXPECT_NE(answer.find("HTTP/1.0 200"), std::string::npos) << answer;
  EXPECT_EQ(answer.find("chunked"), std::string::npos) << answer;
  EXPECT_EQ(answer.substr(answer.size() - 7), "\r\n\r\nall") << answer;
}

}  // namespace
}  // namespace certfleet::http
