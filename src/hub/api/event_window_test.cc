#include "hub/api/event_window.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

namespace certfleet::hub::api {
namespace {

store::Event E(store::Revision r, std::string type, std::string subject) {
  store::Event e;
  e.revision = r;
  e.id = "id" + std::to_string(r);
  e.type = std::move(type);
  e.subject = std::move(subject);
  return e;
}

std::vector<store::Event> Sample() {
  return {E(11, "machine.desired_changed", "machine:a"), E(12, "deployment.reported", "machine:a"),
          E(13, "machine.desired_changed", "machine:b"), E(14, "domain.created", "domain:x"),
          E(15, "machine.redeploy_requested", "machine:a")};
}

std::vector<std::int64_t> Revisions(const EventPage& page) {
  std::vector<std::int64_t> out;
  const auto body = nlohmann::json::parse(page.body);
  for (const auto& e : body["events"]) out.push_back(e["revision"]);
  return out;
}

TEST(EventWindowTest, PagesAreWhatTheStorePathWouldAnswer) {
  EventWindow window(10, 100);
  window.Append(Sample());
  const std::vector<EventFilter> filters = {{},
                                            {"machine:a", {}},
                                            {"machine:a", {"machine.desired_changed"}},
                                            {"machine:c", {}},
                                            {"", {"domain.created", "machine.redeploy_requested"}}};
  for (const auto& filter : filters) {
    for (store::Revision since : {10, 11, 12, 15}) {
      for (std::int64_t limit : {1, 2, 100}) {
        const EventPage a = window.Page(since, filter, limit);
        const EventPage b = PageOf(Sample(), since, filter, limit);
        EXPECT_EQ(Revisions(a), Revisions(b))
            << filter.subject << " since " << since << " limit " << limit;
        if (a.count < limit) {
          EXPECT_EQ(a.cursor, 15) << "everything up to 15 was examined";
        } else {
          EXPECT_EQ(a.cursor, b.cursor);
        }
      }
    }
  }
}

std::vector<store::Event> WithPayloads() {
  auto events = Sample();
  for (auto& e : events) {
    e.payload_json = R"({"b":"\u00e9 \"q\"","a":[1,2]})";
    e.created_at = TimePoint(std::chrono::seconds(1'800'000'000 + e.revision));
  }
  return events;
}

TEST(EventWindowTest, PageBodiesAreTheSameTextAsTheStorePath) {
  EventWindow window(10, 100);
  window.Append(WithPayloads());
  for (const EventFilter& filter : {EventFilter{}, EventFilter{"machine:a", {}}}) {
    for (int pass = 0; pass < 2; ++pass) {  // the text made on first use, then reused
      EXPECT_EQ(window.Page(10, filter, 100).body, PageOf(WithPayloads(), 10, filter, 100).body)
          << filter.subject << " pass " << pass;
    }
  }
}

TEST(EventWindowTest, PagesBuiltAtOnceFromManyThreadsAgree) {
  EventWindow window(10, 100);
  window.Append(WithPayloads());
  const std::string expected = PageOf(WithPayloads(), 10, {}, 100).body;
  std::vector<std::string> bodies(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    threads.emplace_back([&, i] { bodies[i] = window.Page(10, {}, 100).body; });
  }
  for (auto& t : threads) t.join();
  for (const auto& body : bodies) EXPECT_EQ(body, expected);
}

TEST(EventWindowTest, AMachineFilterSeesItsOwnEventsOnly) {
  EventWindow window(10, 100);
  window.Append(Sample());
  const EventPage page = window.Page(
      10, {"machine:a", {"machine.desired_changed", "machine.redeploy_requested"}}, 100);
  EXPECT_EQ(Revisions(page), (std::vector<std::int64_t>{11, 15}));
  EXPECT_EQ(nlohmann::json::parse(page.body)["revision"], 15);
}

TEST(EventWindowTest, DropsTheOldestBeyondItsCapacityAndSaysSo) {
  EventWindow window(10, 3);
  window.Append(Sample());
  EXPECT_EQ(window.size(), 3u);
  EXPECT_FALSE(window.Covers(11)) << "events 12 and below are gone: the store must answer";
  EXPECT_TRUE(window.Covers(12));
  EXPECT_EQ(Revisions(window.Page(12, {"machine:a", {}}, 100)), (std::vector<std::int64_t>{15}));
  EXPECT_EQ(Revisions(window.Page(12, {}, 100)), (std::vector<std::int64_t>{13, 14, 15}));
}

TEST(EventWindowTest, AnEmptyWindowAnswersWithTheCursor) {
  EventWindow window(42, 10);
  const EventPage page = window.Page(42, {"machine:a", {}}, 100);
  EXPECT_EQ(page.count, 0);
  EXPECT_EQ(page.body, R"({"events":[],"revision":42})");
  window.Append({E(42, "x", "machine:a"), E(43, "x", "machine:a")});
  EXPECT_EQ(Revisions(window.Page(42, {"machine:a", {}}, 100)), (std::vector<std::int64_t>{43}))
      << "a revision already held is not added twice";
}

}  // namespace
}  // namespace certfleet::hub::api
