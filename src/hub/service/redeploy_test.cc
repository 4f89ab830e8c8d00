#include "hub/service/redeploy.h"

#include <nlohmann/json.hpp>

#include "hub/service/domains.h"
#include "hub/service/service_test_fixture.h"

namespace certfleet::hub::service {
namespace {

class RedeployServiceTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    for (const char* m : {"web-1", "web-2", "web-3"}) ASSERT_NO_FATAL_FAILURE(MakeMachine(m));
    auto d = CreateDomain(
        *s_, actor_,
        {.name = "shop.example", .machines = std::vector<std::string>{"web-1", "web-2"}});
    ASSERT_TRUE(d) << d.error().message;
  }
  // The redeploy events appended after `since`: subject → payload.
  std::map<std::string, nlohmann::json> Requests(store::Revision since) {
    std::map<std::string, nlohmann::json> out;
    auto events = store_->ListEventsSince(since, 1000);
    EXPECT_TRUE(events);
    for (const auto& e : *events) {
      if (e.type == kRedeployRequested) out[e.subject] = nlohmann::json::parse(e.payload_json);
    }
    return out;
  }
  store::Revision Now() { return store_->MaxRevision().value(); }
};

TEST_F(RedeployServiceTest, OneMachineGetsOneEventForAllItsDomains) {
  const auto before = Now();
  auto r = RequestRedeploy(*s_, actor_, {.machine = "web-2"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->machines, std::vector<std::string>{"web-2"});
  auto requests = Requests(before);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests["machine:web-2"]["domain"], "") << "\"\" means every domain";
  EXPECT_EQ(requests["machine:web-2"]["machine"], "web-2");
}

TEST_F(RedeployServiceTest, ADomainEverywhereAsksEachMachineThatHostsIt) {
  const auto before = Now();
  auto r = RequestRedeploy(*s_, actor_, {.domain = "Shop.Example."});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->domain, "shop.example");
  EXPECT_EQ(r->machines, (std::vector<std::string>{"web-1", "web-2"}));
  auto requests = Requests(before);
  EXPECT_EQ(requests.size(), 2u) << "web-3 does not host it";
  EXPECT_EQ(requests["machine:web-1"]["domain"], "shop.example");
}

TEST_F(RedeployServiceTest, EverythingEverywhereAsksEveryMachine) {
  const auto before = Now();
  auto r = RequestRedeploy(*s_, actor_, {});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->machines, (std::vector<std::string>{"web-1", "web-2", "web-3"}));
  EXPECT_EQ(Requests(before).size(), 3u);
}

TEST_F(RedeployServiceTest, MistakesAreNamed) {
  auto unknown = RequestRedeploy(*s_, actor_, {.machine = "web-9"});
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  auto elsewhere = RequestRedeploy(*s_, actor_, {.machine = "web-3", .domain = "shop.example"});
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().message,
            "domain shop.example is not hosted on machine web-3: nothing to redeploy");
  const auto before = Now();
  EXPECT_FALSE(RequestRedeploy(*s_, actor_, {.domain = "nope.example"}));
  EXPECT_TRUE(Requests(before).empty()) << "a refused request appends nothing";
}

TEST_F(RedeployServiceTest, EachRequestIsAudited) {
  ASSERT_TRUE(RequestRedeploy(*s_, actor_, {.machine = "web-1"}));
  auto audit = store_->ListAudit({});
  ASSERT_TRUE(audit);
  bool found = false;
  for (const auto& a : *audit) found |= a.actor == actor_.name && a.action == kRedeployRequested;
  EXPECT_TRUE(found) << "who asked for the redeploy must be in the audit log";
}

}  // namespace
}  // namespace certfleet::hub::service
