// GET /api/v1/events: immediate answers, long-poll wake-up, timeout, agent filtering.
#include <future>

#include "harness/net.h"
#include "hub/api/api_test_fixture.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;
using std::chrono::steady_clock;

std::int64_t Revision(const json& page) { return page["revision"].get<std::int64_t>(); }

TEST_F(ApiTest, EventsSinceAnswersAtOnce) {
  MakeDomain({{"name", "a.example.com"}});
  auto page = Body(Call("GET", "/api/v1/events?since=0&wait=30"));
  ASSERT_FALSE(page["events"].empty());
  bool seen = false;
  for (const auto& e : page["events"]) seen = seen || e["type"] == "domain.created";
  EXPECT_TRUE(seen) << page.dump();
  EXPECT_GT(Revision(page), 0);
}

TEST_F(ApiTest, LongPollReturnsWhenADomainIsCreated) {
  const auto since = Revision(Body(Call("GET", "/api/v1/events?since=0&limit=1000")));
  const std::string url = base_ + "/api/v1/events?since=" + std::to_string(since) + "&wait=20";
  const std::string admin = admin_;
  auto started = steady_clock::now();
  auto poll = std::async(std::launch::async, [url, admin] {
    harness::HttpRequest request;
    request.headers = {"Authorization: Bearer " + admin};
    request.timeout = std::chrono::seconds(30);
    return harness::HttpFetch(url, request);
  });
  ASSERT_TRUE(
      harness::WaitFor([&] { return waiters_->WaitingCount() == 1; }, std::chrono::seconds(5)))
      << "the request should be waiting for new events";
  MakeDomain({{"name", "b.example.com"}});
  auto r = poll.get();
  const auto elapsed = steady_clock::now() - started;
  ASSERT_EQ(r.status, 200) << r.body;
  auto page = Body(r);
  ASSERT_FALSE(page["events"].empty());
  EXPECT_EQ(page["events"][0]["type"], "domain.created");
  EXPECT_GT(Revision(page), since);
  EXPECT_LT(elapsed, std::chrono::seconds(5)) << "the long-poll must return on the commit";
}

TEST_F(ApiTest, LongPollTimesOutWithAnEmptyPage) {
  const auto since = Revision(Body(Call("GET", "/api/v1/events?since=0&limit=1000")));
  auto r = Call("GET", "/api/v1/events?since=" + std::to_string(since) + "&wait=1");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r)["events"].empty());
  EXPECT_EQ(Revision(Body(r)), since);
}

TEST_F(ApiTest, WaitIsBounded) {
  auto r = Call("GET", "/api/v1/events?since=0&wait=120");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(ErrorMessageOf(r).find("'wait'"), std::string::npos);
}

TEST_F(ApiTest, AgentsSeeOnlyTheirMachinesEvents) {
  MakeMachine("web-1");
  MakeMachine("web-2");
  const std::string agent = TokenFor("agent", "web-1");
  MakeDomain({{"name", "two.example.com"}, {"machines", {"web-2"}}});
  MakeDomain({{"name", "one.example.com"}, {"machines", {"web-1"}}});
  auto page = Body(CallAs(agent, "GET", "/api/v1/events?since=0&limit=1000"));
  ASSERT_FALSE(page["events"].empty());
  for (const auto& e : page["events"]) {
    EXPECT_EQ(e["subject"], "machine:web-1") << e.dump();
  }
}

}  // namespace
}  // namespace certfleet::hub::api
