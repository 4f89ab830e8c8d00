// Agent endpoints: desired state, key material scoped to the token's machine, reports.
#include <chrono>
#include <thread>

#include "crypto/testing/test_ca.h"
#include "hub/api/api_test_fixture.h"

namespace certfleet::hub::api {
namespace {

using nlohmann::json;

class AgentApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    MakeMachine("web-1");
    MakeMachine("web-2");
    auto ca = crypto::testing::TestCa::Create().value();
    leaf_ = ca.Issue({.dns_names = {"one.example.com"}}).value();
    MakeDomain({{"name", "one.example.com"}, {"issuer", "manual"}, {"machines", {"web-1"}}});
    auto r = Call("POST", "/api/v1/domains/one.example.com/certificate",
                  json{{"chain_pem", leaf_->chain_pem}, {"key_pem", leaf_->key_pem}}.dump());
    ASSERT_EQ(r.status, 201) << r.body;
    certificate_id_ = Body(r)["id"].get<std::int64_t>();
    agent1_ = TokenFor("agent", "web-1");
    agent2_ = TokenFor("agent", "web-2");
  }
  std::string CertPath() const {
    return "/api/v1/agent/certificates/" + std::to_string(certificate_id_);
  }

  std::optional<crypto::testing::IssuedLeaf> leaf_;
  std::int64_t certificate_id_ = 0;
  std::string agent1_, agent2_;
};

TEST_F(AgentApiTest, DesiredStateIsTheCallersMachineAndRecordsAHeartbeat) {
  harness::HttpRequest request;
  request.headers = {"Authorization: Bearer " + agent1_, "X-Certfleet-Agent-Version: 0.1.0"};
  auto r = client_.Fetch(base_ + "/api/v1/agent/desired", request);
  ASSERT_EQ(r.status, 200) << r.body;
  auto body = Body(r);
  EXPECT_EQ(body["machine"], "web-1");
  ASSERT_EQ(body["certificates"].size(), 1u);
  EXPECT_EQ(body["certificates"][0]["domain"], "one.example.com");
  EXPECT_EQ(body["certificates"][0]["certificate_id"], certificate_id_);
  EXPECT_EQ(Body(CallAs(agent2_, "GET", "/api/v1/agent/desired"))["certificates"].size(), 0u);
  auto machine = Body(Call("GET", "/api/v1/machines/web-1"));
  EXPECT_FALSE(machine["agent_last_seen"].is_null()) << "the desired-state call is the heartbeat";
  EXPECT_EQ(machine["agent_version"], "0.1.0");
}

// Issue 16: the heartbeat was a write transaction in every agent pass. Within a minute of
// the last one written, a desired-state call of the same agent version writes nothing.
TEST_F(AgentApiTest, HeartbeatsWithinAMinuteAreNotWrittenAgainUnlessTheVersionChanged) {
  auto desired = [&](const std::string& version) {
    harness::HttpRequest request;
    request.headers = {"Authorization: Bearer " + agent1_, "X-Certfleet-Agent-Version: " + version};
    ASSERT_EQ(client_.Fetch(base_ + "/api/v1/agent/desired", request).status, 200);
  };
  // From the store: milliseconds (the API shows whole seconds).
  auto seen = [&] { return store_->GetMachineByName("web-1").value().agent_last_seen; };
  desired("0.1.0");
  const auto first = seen();
  ASSERT_TRUE(first.has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  desired("0.1.0");
  EXPECT_EQ(seen(), first) << "a second pass within the minute wrote agent_last_seen again";
  desired("0.2.0");
  EXPECT_GT(seen(), first) << "an upgraded agent must show at once";
  EXPECT_EQ(Body(Call("GET", "/api/v1/machines/web-1"))["agent_version"], "0.2.0");
}

TEST_F(AgentApiTest, HostingAgentGetsTheKey) {
  auto r = CallAs(agent1_, "GET", CertPath());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Body(r)["key_pem"], leaf_->key_pem);
  EXPECT_EQ(Body(r)["chain_pem"], leaf_->chain_pem);
  EXPECT_EQ(r.headers["cache-control"], "no-store");
}

TEST_F(AgentApiTest, OtherMachinesAgentIsRefusedTheKey) {
  auto r = CallAs(agent2_, "GET", CertPath());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(AgentApiTest, PeopleNeverGetKeys) {
  EXPECT_EQ(Call("GET", CertPath()).status, 403) << "even admins get no key material";
  auto r = Call("GET", "/api/v1/certificates/" + std::to_string(certificate_id_));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(AgentApiTest, UnknownCertificateIs404) {
  EXPECT_EQ(CallAs(agent1_, "GET", "/api/v1/agent/certificates/9999").status, 404);
  EXPECT_EQ(CallAs(agent1_, "GET", "/api/v1/agent/certificates/abc").status, 400);
}

TEST_F(AgentApiTest, DeploymentReportShowsOnTheDomain) {
  const json report = {{"certificate_id", certificate_id_},
                       {"status", "deployed"},
                       {"sha256", leaf_->leaf.Sha256Fingerprint()}};
  auto r = CallAs(agent1_, "POST", "/api/v1/agent/deployments", report.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  auto show = Body(Call("GET", "/api/v1/domains/one.example.com"));
  ASSERT_EQ(show["deployments"].size(), 1u);
  EXPECT_EQ(show["deployments"][0]["machine"], "web-1");
  EXPECT_EQ(show["deployments"][0]["status"], "deployed");
  EXPECT_EQ(CallAs(agent2_, "POST", "/api/v1/agent/deployments", report.dump()).status, 403)
      << "an agent may only report for domains its machine hosts";
  EXPECT_EQ(CallAs(agent1_, "POST", "/api/v1/agent/deployments",
                   R"({"certificate_id":1,"status":"great"})")
                .status,
            400);
}

// Issue 16: reports that arrive together are written in one transaction
// (hub/api/report_batcher.h); each agent must still get its own answer, and every report
// must be stored.
TEST_F(AgentApiTest, ReportsOfManyAgentsAtOnceAreAllStored) {
  constexpr std::size_t kAgents = 12;
  json machines = json::array();
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < kAgents; ++i) {
    const std::string name = "edge-" + std::to_string(i);
    MakeMachine(name);
    machines.push_back(name);
    tokens.push_back(TokenFor("agent", name));
  }
  MakeDomain({{"name", "many.example.com"}, {"issuer", "manual"}, {"machines", machines}});
  auto ca = crypto::testing::TestCa::Create().value();
  auto leaf = ca.Issue({.dns_names = {"many.example.com"}}).value();
  auto up = Call("POST", "/api/v1/domains/many.example.com/certificate",
                 json{{"chain_pem", leaf.chain_pem}, {"key_pem", leaf.key_pem}}.dump());
  ASSERT_EQ(up.status, 201) << up.body;
  const json report = {{"certificate_id", Body(up)["id"]},
                       {"status", "deployed"},
                       {"sha256", leaf.leaf.Sha256Fingerprint()}};
  std::vector<harness::HttpResult> results(kAgents);
  std::vector<std::thread> agents;
  for (std::size_t i = 0; i < kAgents; ++i) {
    agents.emplace_back([&, i] {
      harness::HttpClient client;
      results[i] = client.Fetch(
          base_ + "/api/v1/agent/deployments",
          {.method = "POST",
           .body = report.dump(),
           .headers = {"Content-Type: application/json", "Authorization: Bearer " + tokens[i]}});
    });
  }
  for (auto& t : agents) t.join();
  for (std::size_t i = 0; i < kAgents; ++i) {
    ASSERT_EQ(results[i].status, 201) << "agent " << i << ": " << results[i].body;
    EXPECT_EQ(Body(results[i])["machine"], "edge-" + std::to_string(i))
        << "an agent got another agent's answer";
    EXPECT_EQ(Body(results[i])["domain"], "many.example.com");
  }
  auto show = Body(Call("GET", "/api/v1/domains/many.example.com"));
  ASSERT_EQ(show["deployments"].size(), kAgents);
  for (const auto& d : show["deployments"]) EXPECT_EQ(d["status"], "deployed") << d.dump();
}

// Review 2026-12-06, F1 trigger A: the hub cut the error at byte 4096, inside "é"; the
// strict JSON dump of the event threw inside the write transaction, and every later
// write failed ("cannot start a transaction within a transaction") until restart.
TEST_F(AgentApiTest, ErrorCutInsideACharacterIsStoredAndTheHubKeepsWriting) {
  const std::string error = std::string(4095, 'a') + "\xC3\xA9";  // 4097 bytes
  const json report = {{"certificate_id", certificate_id_}, {"status", "failed"}, {"error", error}};
  auto r = CallAs(agent1_, "POST", "/api/v1/agent/deployments", report.dump());
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Body(r)["error"], std::string(4095, 'a')) << "cut before the character, not inside";
  auto after = Call("POST", "/api/v1/customers", R"({"name":"after-report"})");
  EXPECT_EQ(after.status, 201) << "one agent report wedged every write: " << after.body;
}

// Review 2026-12-06, F2: Beast accepts bytes 0x80-0xFF in header values; stored raw, the
// version broke GET /api/v1/machines for everyone (500) and the notifier's scans.
TEST_F(AgentApiTest, AgentVersionOutsidePrintableAsciiIsSanitisedAndMachinesStillList) {
  harness::HttpRequest request;
  request.headers = {"Authorization: Bearer " + agent1_, "X-Certfleet-Agent-Version: v\xFF\xFE<b>"};
  ASSERT_EQ(client_.Fetch(base_ + "/api/v1/agent/desired", request).status, 200);
  auto list = Call("GET", "/api/v1/machines");
  ASSERT_EQ(list.status, 200) << list.body;
  auto one = Call("GET", "/api/v1/machines/web-1");
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Body(one)["agent_version"],
            "v?"
            "?<b>");
}

// Review 2026-12-06, F1 trigger B: an upload whose SAN holds a byte >= 0x80 was copied raw
// into the certificate's names and wedged every write. (The review used a support token;
// uploads are admin-only since F7.)
TEST_F(AgentApiTest, UploadWithANonAsciiDnsNameIsRefusedAndTheHubKeepsWriting) {
  MakeDomain({{"name", "bad.example.com"}, {"issuer", "manual"}});
  auto ca = crypto::testing::TestCa::Create().value();
  auto bad = ca.Issue({.dns_names = {"bad.example.com", "\xFF.bad.example.com"}});
  ASSERT_TRUE(bad) << bad.error().message;
  auto r = Call("POST", "/api/v1/domains/bad.example.com/certificate",
                json{{"chain_pem", bad->chain_pem}, {"key_pem", bad->key_pem}}.dump());
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(ErrorMessageOf(r).find("not printable ASCII"), std::string::npos) << r.body;
  auto after = Call("POST", "/api/v1/customers", R"({"name":"after-upload"})");
  EXPECT_EQ(after.status, 201) << "one upload wedged every write: " << after.body;
}

// Review 2026-12-06, F7: support could switch a domain to the manual issuer and upload a
// key of its own, which every hosting agent then deployed. Key material comes from the CA
// or from an admin (docs/security.md, "Support and private keys").
TEST_F(AgentApiTest, SupportCannotUploadKeyMaterial) {
  MakeDomain({{"name", "two.example.com"}, {"issuer", "manual"}, {"machines", {"web-1"}}});
  auto ca = crypto::testing::TestCa::Create().value();
  auto leaf = ca.Issue({.dns_names = {"two.example.com"}}).value();
  const json upload = {{"chain_pem", leaf.chain_pem}, {"key_pem", leaf.key_pem}};
  const std::string support = TokenFor("support");
  auto r = CallAs(support, "POST", "/api/v1/domains/two.example.com/certificate", upload.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(ErrorMessageOf(r).find("upload key material"), std::string::npos) << r.body;
  EXPECT_EQ(CallAs(support, "PATCH", "/api/v1/domains/two.example.com",
                   R"({"machines":["web-1","web-2"]})")
                .status,
            200)
      << "placing a domain on machines stays support's work";
  EXPECT_EQ(Call("POST", "/api/v1/domains/two.example.com/certificate", upload.dump()).status, 201)
      << "an admin uploads";
}

}  // namespace
}  // namespace certfleet::hub::api
