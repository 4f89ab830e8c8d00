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

TEST_F(ApiTest, ATypesFilterKeepsOnlyThoseEventsAndMovesTheCursorPastTheRest) {
  MakeMachine("web-1");
  const std::string agent = TokenFor("agent", "web-1");
  MakeDomain({{"name", "one.example.com"}, {"machines", {"web-1"}}});
  auto all = Body(CallAs(agent, "GET", "/api/v1/events?since=0&limit=1000"));
  auto filtered = Body(
      CallAs(agent, "GET", "/api/v1/events?since=0&limit=1000&types=machine.redeploy_requested"));
  EXPECT_TRUE(filtered["events"].empty()) << filtered.dump();
  EXPECT_EQ(Revision(filtered), Revision(all)) << "filtered-out events are still examined";
  auto bad = CallAs(agent, "GET", "/api/v1/events?since=0&types=Machine/x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(ErrorMessageOf(bad).find("'types'"), std::string::npos) << bad.body;
}

// An agent's own deployment report must not answer its long poll (issue 16): with 200
// agents that was a wasted round trip per agent and change.
TEST_F(ApiTest, AnAgentsOwnReportDoesNotWakeItsFilteredWatch) {
  MakeMachine("web-1");
  const std::string agent = TokenFor("agent", "web-1");
  MakeDomain({{"name", "one.example.com"}, {"machines", {"web-1"}}});
  const auto since = Revision(Body(CallAs(agent, "GET", "/api/v1/events?since=0&limit=1000")));
  const std::string url = base_ + "/api/v1/events?since=" + std::to_string(since) +
                          "&wait=3&types=machine.desired_changed,machine.redeploy_requested";
  auto started = steady_clock::now();
  auto poll = std::async(std::launch::async, [url, agent] {
    harness::HttpRequest request;
    request.headers = {"Authorization: Bearer " + agent};
    request.timeout = std::chrono::seconds(10);
    return harness::HttpFetch(url, request);
  });
  ASSERT_TRUE(
      harness::WaitFor([&] { return waiters_->WaitingCount() == 1; }, std::chrono::seconds(5)));
  // An event for web-1 of another type (what a deployment report is to the filter).
  store::Event e{.type = "deployment.reported", .subject = "machine:web-1"};
  ASSERT_TRUE(store_->AppendEvent({"test"}, e));
  auto r = poll.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Body(r)["events"].empty()) << r.body;
  EXPECT_GE(steady_clock::now() - started, std::chrono::milliseconds(2500))
      << "the poll must run to its timeout, not answer on the filtered event";
}

TEST_F(ApiTest, RedeployAsksTheMachinesAndTheirAgentsSeeIt) {
  MakeMachine("web-1");
  MakeMachine("web-2");
  MakeDomain({{"name", "one.example.com"}, {"machines", {"web-1", "web-2"}}});
  const std::string agent = TokenFor("agent", "web-2");
  const auto since = Revision(Body(CallAs(agent, "GET", "/api/v1/events?since=0&limit=1000")));
  auto one = Call("POST", "/api/v1/machines/web-2/redeploy");
  ASSERT_EQ(one.status, 202) << one.body;
  EXPECT_EQ(Body(one)["machines"], json::array({"web-2"}));
  auto everywhere = Call("POST", "/api/v1/redeploy", R"({"domain":"one.example.com"})");
  ASSERT_EQ(everywhere.status, 202) << everywhere.body;
  EXPECT_EQ(Body(everywhere)["machines"], json::array({"web-1", "web-2"}));
  auto page = Body(CallAs(agent, "GET",
                          "/api/v1/events?since=" + std::to_string(since) +
                              "&types=machine.desired_changed,machine.redeploy_requested"));
  ASSERT_EQ(page["events"].size(), 2u) << page.dump();
  EXPECT_EQ(page["events"][0]["type"], "machine.redeploy_requested");
  EXPECT_EQ(page["events"][0]["payload"]["domain"], "");
  EXPECT_EQ(page["events"][1]["payload"]["domain"], "one.example.com");
  EXPECT_EQ(CallAs(TokenFor("readonly"), "POST", "/api/v1/redeploy").status, 403);
  auto unknown = Call("POST", "/api/v1/machines/web-9/redeploy");
  EXPECT_EQ(unknown.status, 404) << unknown.body;
}

}  // namespace
}  // namespace certfleet::hub::api
