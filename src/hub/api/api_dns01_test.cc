// /api/v1/domains/{name}/dns01 (issue 15) without a delegated zone on this hub: which
// challenge answers each name, the per-domain challenge choice (PATCH) with its refusals,
// who may change it, and a check that says what to configure when nothing is delegated.
// The delegated zone itself is covered end to end by hub_delegation_test.
#include <map>

#include "hub/api/api_test_fixture.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

constexpr const char* kPath = "/api/v1/domains/shop.example.com/dns01";

// name → challenge of a dns01 view's "names".
std::map<std::string, std::string> Ways(const json& view) {
  std::map<std::string, std::string> ways;
  for (const json& entry : view.value("names", json::array()))
    ways[entry.value("name", "")] = entry.value("challenge", "");
  return ways;
}

class ApiDns01Test : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    MakeDomain({{"name", "shop.example.com"}, {"sans", {"*.shop.example.com"}}, {"issuer", "dns"}});
  }
};

TEST_F(ApiDns01Test, ShowsWhichChallengeAnswersEachName) {
  auto r = Call("GET", kPath);
  ASSERT_EQ(r.status, 200) << r.body;
  json view = Body(r);
  EXPECT_EQ(view["domain"], "shop.example.com");
  EXPECT_EQ(view["issuer"], "dns");
  EXPECT_EQ(view["challenge"], "") << "no choice stored: the issuer's order";
  EXPECT_EQ(Ways(view),
            (std::map<std::string, std::string>{{"*.shop.example.com", "dns-01 (delegation)"},
                                                {"shop.example.com", "http-01"}}));
  EXPECT_TRUE(view["delegation"].is_null()) << "this hub answers no delegated zone";
  EXPECT_EQ(view["plan_error"], "");
}

TEST_F(ApiDns01Test, TheChoiceIsSavedAndWhatCannotBeSolvedIsRefused) {
  auto only_dns = Call("PATCH", kPath, R"({"challenge":"dns-01"})");
  ASSERT_EQ(only_dns.status, 200) << only_dns.body;
  EXPECT_EQ(Body(only_dns)["challenge"], "dns-01");
  EXPECT_EQ(Ways(Body(only_dns))["shop.example.com"], "dns-01 (delegation)");
  EXPECT_EQ(Body(Call("GET", kPath))["challenge"], "dns-01") << "the choice is stored";

  auto http_first = Call("PATCH", kPath, R"({"challenge":"http-01"})");
  ASSERT_EQ(http_first.status, 200) << http_first.body;
  EXPECT_EQ(Ways(Body(http_first)),
            (std::map<std::string, std::string>{{"*.shop.example.com", "dns-01 (delegation)"},
                                                {"shop.example.com", "http-01"}}))
      << "a wildcard still needs DNS-01";

  auto unknown = Call("PATCH", kPath, R"({"challenge":"carrier-pigeon"})");
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(ErrorMessageOf(unknown).find("carrier-pigeon"), std::string::npos) << unknown.body;
  auto missing = Call("PATCH", kPath, R"({})");
  EXPECT_EQ(missing.status, 400) << missing.body;
  EXPECT_EQ(Body(Call("GET", kPath))["challenge"], "http-01") << "refusals change nothing";

  // Issuer "pebble" may use HTTP-01 only: DNS-01 only is refused, naming what to add.
  MakeDomain({{"name", "plain.example.com"}, {"issuer", "pebble"}});
  auto refused =
      Call("PATCH", "/api/v1/domains/plain.example.com/dns01", R"({"challenge":"dns-01"})");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_NE(ErrorMessageOf(refused).find("add \"dns-01\" to its challenges"), std::string::npos)
      << refused.body;
}

TEST_F(ApiDns01Test, ReadersSeeTheViewOnlyManagersChangeOrCheck) {
  const std::string reader = TokenFor("readonly");
  EXPECT_EQ(CallAs(reader, "GET", kPath).status, 200);
  EXPECT_EQ(CallAs(reader, "PATCH", kPath, R"({"challenge":"dns-01"})").status, 403);
  EXPECT_EQ(CallAs(reader, "POST", std::string(kPath) + "/check").status, 403);
  EXPECT_EQ(CallAs("", "GET", kPath).status, 401);
  EXPECT_EQ(Body(Call("GET", kPath))["challenge"], "");
}

TEST_F(ApiDns01Test, ACheckWithoutDelegationSaysWhatToConfigure) {
  auto r = Call("POST", std::string(kPath) + "/check");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(ErrorMessageOf(r).find("no name of this domain is answered by DNS-01 delegation"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(Call("GET", "/api/v1/domains/none.example.com/dns01").status, 404);
  MakeDomain({{"name", "uploaded.example.com"}, {"issuer", "manual"}});
  auto manual = Call("GET", "/api/v1/domains/uploaded.example.com/dns01");
  EXPECT_EQ(manual.status, 400) << manual.body;
  EXPECT_NE(ErrorMessageOf(manual).find("has no ACME challenges"), std::string::npos)
      << manual.body;
}

}  // namespace
}  // namespace certfleet::hub::api
