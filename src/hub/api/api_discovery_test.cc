// The discovery API over HTTP (issue 19): the agent's report as untrusted input, the fleet
// view, adoption with the agent's upload, imports (dry run, apply, twice) and external
// HTTP-01 challenges served on the public challenge path.
#include <gtest/gtest.h>

#include "crypto/testing/test_ca.h"
#include "hub/api/api_test_fixture.h"
#include "hub/discovery/testing/report_json.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

const crypto::testing::TestCa& Ca() {
  static const crypto::testing::TestCa ca = crypto::testing::TestCa::Create(1, "Bought CA").value();
  return ca;
}

class ApiDiscoveryTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    MakeMachine("web-01");
    agent_ = TokenFor("agent", "web-01");
    leaf_ = Ca().Issue({.dns_names = {"shop.test", "www.shop.test"}}).value();
  }

  // What `certfleet-agent discover` reports for one bought-style site serving `leaf_`.
  json Report() const {
    const std::string sha = leaf_->leaf.Sha256Fingerprint();
    json cert = discovery::testing::ReportCertificate(sha, {"shop.test", "www.shop.test"});
    cert["issuer"] = "CN=Bought CA Intermediate 1";
    cert["serial"] = leaf_->leaf.SerialHex();
    cert["key_type"] = "ec-p256";
    return discovery::testing::ReportOfOneSite(
        {.sha = sha,
         .certificates = {cert},
         .probes = {discovery::testing::ReportProbe("shop.test", sha)}});
  }

  std::string agent_;
  std::optional<crypto::testing::IssuedLeaf> leaf_;
};

TEST_F(ApiDiscoveryTest, TheReportIsValidatedStoredAndShownGroupedByName) {
  json bad = Report();
  bad["servers"][0]["file"] = "/etc/\x01nginx";
  auto refused = CallAs(agent_, "POST", "/api/v1/agent/inventory", bad.dump());
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(ErrorMessageOf(refused).find("servers[0].file: contains control characters"),
            std::string::npos)
      << refused.body;
  EXPECT_EQ(Call("POST", "/api/v1/agent/inventory", Report().dump()).status, 403)
      << "an admin token is no agent";

  auto first = CallAs(agent_, "POST", "/api/v1/agent/inventory", Report().dump());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(Body(first)["changed"].get<bool>());
  auto again = CallAs(agent_, "POST", "/api/v1/agent/inventory", Report().dump());
  EXPECT_FALSE(Body(again)["changed"].get<bool>()) << "the same report changes nothing";

  auto view = Call("GET", "/api/v1/inventory?state=unmanaged");
  ASSERT_EQ(view.status, 200) << view.body;
  const json items = Body(view)["items"];
  ASSERT_EQ(items.size(), 2u) << items.dump(2);
  EXPECT_EQ(items[0]["name"], "shop.test");
  EXPECT_EQ(items[0]["machines"][0]["machine"], "web-01");
  EXPECT_EQ(items[0]["not_after"], "2036-01-01T00:00:00Z");
  auto machine = Call("GET", "/api/v1/inventory/machines/web-01");
  ASSERT_EQ(machine.status, 200);
  EXPECT_EQ(Body(machine)["report"]["servers"][0]["line"], 1);
}

TEST_F(ApiDiscoveryTest, ManualAdoptionAsksTheAgentForExactlyTheCertificateFound) {
  ASSERT_EQ(CallAs(agent_, "POST", "/api/v1/agent/inventory", Report().dump()).status, 200);
  auto dry = Call("POST", "/api/v1/inventory/names/shop.test/adopt", "{}");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Call("GET", "/api/v1/domains/shop.test").status, 404) << "a dry run creates nothing";
  auto free = Call("POST", "/api/v1/inventory/names/shop.test/adopt", R"({"reload_free": true})");
  ASSERT_EQ(free.status, 200) << free.body;
  EXPECT_TRUE(Body(free)["reload_free"].get<bool>());
  EXPECT_NE(Body(free)["nginx_text"].get<std::string>().find("ssl_certificate $certfleet_bundle;"),
            std::string::npos)
      << free.body;
  EXPECT_EQ(
      Call("POST", "/api/v1/inventory/names/shop.test/adopt", R"({"reload_free": "yes"})").status,
      400);
  auto adopted = Call("POST", "/api/v1/inventory/names/shop.test/adopt", R"({"apply": true})");
  ASSERT_EQ(adopted.status, 201) << adopted.body;
  const json plan = Body(adopted);
  EXPECT_NE(plan["nginx_text"].get<std::string>().find(
                "ssl_certificate /etc/certfleet/live/shop.test/fullchain.pem;"),
            std::string::npos)
      << plan["nginx_text"];
  const auto id = plan["upload"]["id"].get<long>();

  auto wanted = CallAs(agent_, "GET", "/api/v1/agent/uploads");
  ASSERT_EQ(Body(wanted)["uploads"].size(), 1u) << wanted.body;
  const auto other = Ca().Issue({.dns_names = {"shop.test", "www.shop.test"}}).value();
  auto wrong = CallAs(agent_, "POST", "/api/v1/agent/uploads/" + std::to_string(id),
                      json{{"chain_pem", other.chain_pem}, {"key_pem", other.key_pem}}.dump());
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(ErrorMessageOf(wrong).find("is not the one asked for"), std::string::npos);
  // The failed request can be asked for again (idempotent adopt).
  ASSERT_EQ(Call("POST", "/api/v1/inventory/names/shop.test/adopt", R"({"apply": true})").status,
            200);
  auto upload = CallAs(agent_, "POST", "/api/v1/agent/uploads/" + std::to_string(id),
                       json{{"chain_pem", leaf_->chain_pem}, {"key_pem", leaf_->key_pem}}.dump());
  ASSERT_EQ(upload.status, 200) << upload.body;
  auto domain = Body(Call("GET", "/api/v1/domains/shop.test"));
  EXPECT_EQ(domain["current_certificate"]["sha256"], leaf_->leaf.Sha256Fingerprint());
  EXPECT_EQ(domain["sans"], json::array({"www.shop.test"}));
}

TEST_F(ApiDiscoveryTest, ImportIsADryRunUnlessAppliedAndTwiceIsOnce) {
  const json body = {{"name", "shop.test"},           {"sans", {"www.shop.test"}},
                     {"key_type", "ec-p256"},         {"machines", {"web-01"}},
                     {"chain_pem", leaf_->chain_pem}, {"key_pem", leaf_->key_pem}};
  auto dry = Call("POST", "/api/v1/import", body.dump());
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Body(dry)["action"], "create");
  EXPECT_EQ(Call("GET", "/api/v1/domains/shop.test").status, 404);
  json apply = body;
  apply["apply"] = true;
  EXPECT_EQ(Body(Call("POST", "/api/v1/import", apply.dump()))["action"], "create");
  EXPECT_EQ(Body(Call("POST", "/api/v1/import", apply.dump()))["action"], "unchanged");
  json other = apply;
  other["sans"] = json::array();
  auto conflict = Call("POST", "/api/v1/import", other.dump());
  EXPECT_EQ(conflict.status, 409);
  EXPECT_NE(ErrorMessageOf(conflict).find("exists with the names"), std::string::npos);
}

TEST_F(ApiDiscoveryTest, ExternalChallengesAreServedOnTheChallengePathUntilDeleted) {
  MakeDomain({{"name", "shop.test"},
              {"sans", {"www.shop.test"}},
              {"machines", {"web-01"}},
              {"issuer", "manual"}});
  const std::string token = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
  const std::string key_authorization = token + ".0123456789012345678901234567890123456789abc";
  const std::string support = TokenFor("support");
  auto bad = CallAs(support, "POST", "/api/v1/challenges/http-01",
                    json{{"identifier", "www.shop.test"},
                         {"token", token},
                         {"key_authorization", "something else"}}
                        .dump());
  EXPECT_EQ(bad.status, 400);
  auto stranger = CallAs(support, "POST", "/api/v1/challenges/http-01",
                         json{{"identifier", "stranger.test"},
                              {"token", token},
                              {"key_authorization", key_authorization}}
                             .dump());
  EXPECT_EQ(stranger.status, 404);
  EXPECT_EQ(CallAs(TokenFor("readonly"), "POST", "/api/v1/challenges/http-01", "{}").status, 403);
  auto put = CallAs(support, "POST", "/api/v1/challenges/http-01",
                    json{{"identifier", "www.shop.test"},
                         {"token", token},
                         {"key_authorization", key_authorization}}
                        .dump());
  ASSERT_EQ(put.status, 201) << put.body;
  auto served = CallAs("", "GET", "/.well-known/acme-challenge/" + token);
  EXPECT_EQ(served.status, 200);
  EXPECT_EQ(served.body, key_authorization);
  ASSERT_EQ(CallAs(support, "DELETE", "/api/v1/challenges/http-01/" + token).status, 204);
  EXPECT_EQ(CallAs("", "GET", "/.well-known/acme-challenge/" + token).status, 404);
}

}  // namespace
}  // namespace certfleet::hub::api
