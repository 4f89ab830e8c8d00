// Notifications through the whole hub: a real App (SQLite, issuance worker, API) that
// orders from a real Pebble (validating HTTP-01 against the hub's own responder) and
// notifies local HTTP receivers; `certfleet notify test` as a real process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/atomic_file.h"
#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "hub/app.h"
#include "notify/testing/webhook_receiver.h"

namespace certfleet::hub {
namespace {

using nlohmann::json;
using notify::testing::BlackHole;
using notify::testing::WebhookReceiver;
using std::chrono::seconds;

// Generous bounds for Debug + ASan on shared cores (the happy path takes well under 1 s).
constexpr auto kIssueTimeout = seconds(60);
constexpr auto kDeliveryTimeout = seconds(30);

struct Channel {
  std::string name;
  std::string type;
  std::string url;
  int timeout_seconds = 10;
};

class NotifyPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    hub_port_ = harness::FreeLoopbackPort();
    auto pebble = harness::PebbleServer::Start({.http_port = hub_port_, .nonce_reject_percent = 0});
    ASSERT_TRUE(pebble) << "Pebble did not start: " << pebble.error().message;
    pebble_ = std::move(*pebble);
  }

  // Writes the hub config with `channels` and starts (or restarts) the App through the
  // same steps as certfleet-hub's main: parse, environment, validate.
  void StartHub(const std::vector<Channel>& channels) {
    std::ostringstream toml;
    toml << "data_dir = \"" << (dir_.path() / "hub").string() << "\"\n"
         << "listen = \"127.0.0.1:" << hub_port_ << "\"\n"
         << "[issuance]\npoll_interval_seconds = 1\n"
         << "[[issuer]]\nname = \"pebble\"\ndirectory = \"" << pebble_->DirectoryUrl() << "\"\n"
         << "ca_file = \"" << pebble_->CaFile() << "\"\n"
         << "[notify]\nretry_base_seconds = 1\nretry_cap_seconds = 2\n";
    for (const auto& c : channels) {
      toml << "[[notify.channel]]\nname = \"" << c.name << "\"\ntype = \"" << c.type
           << "\"\nurl = \"" << c.url
           << "\"\ngroup_window_seconds = 0\ntimeout_seconds = " << c.timeout_seconds << "\n";
    }
    auto config = ParseHubConfig(toml.str(), "notify-test.toml");
    ASSERT_TRUE(config) << config.error().message;
    const EnvLookup no_env = [](std::string_view) -> std::optional<std::string> {
      return std::nullopt;
    };
    ASSERT_TRUE(ApplyEnvironment(*config, no_env));
    auto valid = ValidateHubConfig(*config);
    ASSERT_TRUE(valid) << valid.error().message;
    auto app = App::Start(std::move(*config), SystemClock::Instance());
    ASSERT_TRUE(app) << "hub did not start: " << app.error().message;
    app_ = std::move(*app);
    auto token = ReadFile(dir_.path() / "hub" / "admin.token");
    ASSERT_TRUE(token) << token.error().message;
    admin_token_ = token->substr(0, token->find('\n'));
  }

  struct Answer {
    long status = 0;
    json body;
  };
  Answer Api(const std::string& method, const std::string& path, const json& body = nullptr,
             const std::string& token = "") {
    harness::HttpRequest request;
    request.method = method;
    request.timeout = seconds(30);
    request.headers = {"Authorization: Bearer " + (token.empty() ? admin_token_ : token),
                       "Content-Type: application/json"};
    if (!body.is_null()) request.body = body.dump();
    auto r = harness::HttpFetch(app_->BaseUrl() + path, request);
    return {r.status, json::parse(r.body, nullptr, false)};
  }

  // Customer "Acme GmbH", machines web-01 and web-02, and `domain` on both, from Pebble.
  void AddDomain(const std::string& domain) {
    EXPECT_EQ(Api("POST", "/api/v1/customers", {{"name", "Acme GmbH"}}).status, 201);
    for (const char* m : {"web-01", "web-02"}) {
      EXPECT_EQ(Api("POST", "/api/v1/machines", {{"name", m}, {"customer", "Acme GmbH"}}).status,
                201);
    }
    auto added = Api("POST", "/api/v1/domains",
                     {{"name", domain},
                      {"customer", "Acme GmbH"},
                      {"machines", {"web-01", "web-02"}},
                      {"issuer", "pebble"}});
    ASSERT_EQ(added.status, 201) << added.body.dump();
  }

  // Waits until the domain is valid; returns its view.
  json WaitForIssued(const std::string& domain) {
    json view;
    const bool valid = harness::WaitFor(
        [&] {
          view = Api("GET", "/api/v1/domains/" + domain).body;
          return view.is_object() && view.value("status", "") == "valid";
        },
        kIssueTimeout, std::chrono::milliseconds(20));
    EXPECT_TRUE(valid) << "domain not issued in time; last view: " << view.dump();
    return view;
  }

  std::string AgentToken(const std::string& machine) {
    auto created = Api("POST", "/api/v1/tokens",
                       {{"role", "agent"}, {"machine", machine}, {"name", "agent " + machine}});
    EXPECT_EQ(created.status, 201) << created.body.dump();
    return created.body.value("secret", "");
  }

  harness::TempDir dir_{"hub-notify"};
  std::uint16_t hub_port_ = 0;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<App> app_;
  std::string admin_token_;
};

// Everything a chat message must never carry.
void ExpectNoSecrets(const std::string& body, const std::vector<std::string>& tokens) {
  EXPECT_EQ(body.find("PRIVATE KEY"), std::string::npos) << "key material in: " << body;
  for (const auto& t : tokens) {
    ASSERT_FALSE(t.empty());
    EXPECT_EQ(body.find(t), std::string::npos) << "a token leaked into: " << body;
  }
}

TEST_F(NotifyPipelineTest, IssuedDomainSendsOneChatMessageNamingCustomerDomainAndMachines) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-rocket", "rocketchat", receiver.Url("/rocket")},
                                    {"ops-slack", "slack", receiver.Url("/slack")}}));
  ASSERT_NO_FATAL_FAILURE(AddDomain("shop.example.com"));
  const std::string agent_token = AgentToken("web-01");  // must never appear in a message
  WaitForIssued("shop.example.com");
  ASSERT_TRUE(harness::WaitFor(
      [&] { return receiver.Count("/rocket") >= 1 && receiver.Count("/slack") >= 1; },
      kDeliveryTimeout))
      << "both chat channels should have been told about the issued certificate";

  ASSERT_EQ(receiver.Count("/rocket"), 1u) << "one certificate, one message";
  json rocket = json::parse(receiver.Requests("/rocket")[0].body);
  EXPECT_EQ(rocket["text"], "Certificate issued: shop.example.com");
  const std::string text = rocket["attachments"][0]["text"];
  for (const char* expected : {"shop.example.com", "customer Acme GmbH", "web-01", "web-02"}) {
    EXPECT_NE(text.find(expected), std::string::npos)
        << "missing \"" << expected << "\" in: " << text;
  }
  ASSERT_EQ(receiver.Count("/slack"), 1u);
  json slack = json::parse(receiver.Requests("/slack")[0].body);
  const std::string slack_text = slack["text"];
  EXPECT_NE(slack_text.find("Certificate issued: shop.example.com"), std::string::npos)
      << slack_text;
  EXPECT_NE(slack_text.find("customer Acme GmbH"), std::string::npos) << slack_text;
  for (const auto& r : {receiver.Requests("/rocket")[0], receiver.Requests("/slack")[0]}) {
    ExpectNoSecrets(r.body, {admin_token_, agent_token});
  }
}

TEST_F(NotifyPipelineTest, DeploymentOnEveryMachineGivesOneSummaryMessage) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-rocket", "rocketchat", receiver.Url("/rocket")}}));
  ASSERT_NO_FATAL_FAILURE(AddDomain("blog.example.com"));
  const std::string web1 = AgentToken("web-01");
  const std::string web2 = AgentToken("web-02");
  json view = WaitForIssued("blog.example.com");
  ASSERT_TRUE(harness::WaitFor([&] { return receiver.Count("/rocket") == 1; }, kDeliveryTimeout))
      << "the issued message comes first";
  const auto certificate_id = view["current_certificate"]["id"].get<std::int64_t>();
  const std::string sha = view["current_certificate"]["sha256"];
  auto report = [&](const std::string& token, const json& body) {
    auto r = Api("POST", "/api/v1/agent/deployments", body, token);
    EXPECT_EQ(r.status, 201) << r.body.dump();
  };
  report(web1, {{"certificate_id", certificate_id}, {"status", "deployed"}, {"sha256", sha}});
  report(web2, {{"certificate_id", certificate_id},
                {"status", "failed"},
                {"error", "nginx -t failed: unknown directive"}});
  ASSERT_TRUE(harness::WaitFor([&] { return receiver.Count("/rocket") >= 2; }, kDeliveryTimeout))
      << "the deployment summary should follow once both machines reported";
  ASSERT_EQ(receiver.Count("/rocket"), 2u) << "one summary for both machines, not one each";
  const std::string body = receiver.Requests("/rocket")[1].body;
  const std::string text = json::parse(body)["attachments"][0]["text"];
  EXPECT_NE(text.find("deployed on 1 of 2 machines"), std::string::npos) << text;
  EXPECT_NE(text.find("web-02 failed: nginx -t failed"), std::string::npos) << text;
  ExpectNoSecrets(body, {admin_token_, web1, web2});
}

TEST_F(NotifyPipelineTest, NotifyTestCommandReachesTheReceiver) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-chat", "rocketchat", receiver.Url("/rocket")}}));
  auto run = harness::RunCommand({CERTFLEET_CLI, "--hub", app_->BaseUrl(), "--token", admin_token_,
                                  "notify", "test", "ops-chat"},
                                 seconds(60));
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->exit_code, 0) << run->output;
  EXPECT_NE(run->output.find("test message delivered to channel ops-chat (rocketchat)"),
            std::string::npos)
      << run->output;
  ASSERT_EQ(receiver.Count("/rocket"), 1u) << "the test message is sent before the CLI returns";
  json rocket = json::parse(receiver.Requests("/rocket")[0].body);
  EXPECT_NE(rocket["attachments"][0]["text"].get<std::string>().find("ops-chat"), std::string::npos)
      << rocket.dump();
  ExpectNoSecrets(receiver.Requests("/rocket")[0].body, {admin_token_});

  auto unknown = harness::RunCommand(
      {CERTFLEET_CLI, "--hub", app_->BaseUrl(), "--token", admin_token_, "notify", "test", "nope"},
      seconds(60));
  ASSERT_TRUE(unknown) << unknown.error().message;
  EXPECT_EQ(unknown->exit_code, 3) << "exit code 3: not found (docs/cli.md)\n" << unknown->output;
  EXPECT_NE(unknown->output.find("no notification channel \"nope\"; configured: ops-chat"),
            std::string::npos)
      << unknown->output;
}

TEST_F(NotifyPipelineTest, TestEndpointAnswersUnknownChannelsAndChecksTheRole) {
  WebhookReceiver receiver;
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-chat", "slack", receiver.Url("/slack")}}));
  auto unknown = Api("POST", "/api/v1/notify/channels/nope/test");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body["error"]["code"], "not_found") << unknown.body.dump();

  auto readonly = Api("POST", "/api/v1/tokens", {{"role", "readonly"}, {"name", "viewer"}});
  ASSERT_EQ(readonly.status, 201) << readonly.body.dump();
  auto denied = Api("POST", "/api/v1/notify/channels/ops-chat/test", nullptr,
                    readonly.body.value("secret", ""));
  EXPECT_EQ(denied.status, 403) << denied.body.dump();
  auto support = Api("POST", "/api/v1/tokens", {{"role", "support"}, {"name", "desk"}});
  auto sent = Api("POST", "/api/v1/notify/channels/ops-chat/test", nullptr,
                  support.body.value("secret", ""));
  EXPECT_EQ(sent.status, 200) << sent.body.dump();
  EXPECT_EQ(sent.body.value("delivered", false), true) << sent.body.dump();
  EXPECT_EQ(receiver.Count("/slack"), 1u);
}

TEST_F(NotifyPipelineTest, TestOfAChannelThatIsDownIsABadGatewayNamingTheChannel) {
  const std::uint16_t closed = harness::FreeLoopbackPort();  // nothing listens there
  const std::string url = "http://127.0.0.1:" + std::to_string(closed) + "/hooks/SECRETPATH";
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-chat", "rocketchat", url}}));
  auto answer = Api("POST", "/api/v1/notify/channels/ops-chat/test");
  EXPECT_EQ(answer.status, 502) << answer.body.dump();
  const std::string message = answer.body["error"].value("message", "");
  EXPECT_NE(message.find("ops-chat"), std::string::npos) << message;
  EXPECT_EQ(message.find("SECRETPATH"), std::string::npos)
      << "the webhook path is a secret: " << message;
}

TEST_F(NotifyPipelineTest, ChannelsThatAreDownDoNotDelayIssuanceOrTheOthers) {
  WebhookReceiver receiver;
  BlackHole hanging;  // accepts and never answers
  const std::uint16_t closed = harness::FreeLoopbackPort();
  ASSERT_NO_FATAL_FAILURE(
      StartHub({{"hangs", "slack", hanging.Url("/hook"), 3},
                {"refuses", "slack", "http://127.0.0.1:" + std::to_string(closed) + "/hook"},
                {"ops-chat", "rocketchat", receiver.Url("/rocket")}}));
  ASSERT_NO_FATAL_FAILURE(AddDomain("shop.example.com"));
  WaitForIssued("shop.example.com");
  EXPECT_TRUE(harness::WaitFor([&] { return receiver.Count("/rocket") == 1; }, kDeliveryTimeout))
      << "the working channel must get its message while the others fail";
}

TEST_F(NotifyPipelineTest, QueuedMessageSurvivesAHubRestart) {
  const std::uint16_t receiver_port = harness::FreeLoopbackPort();
  const std::string listen = "127.0.0.1:" + std::to_string(receiver_port);
  const std::string url = "http://" + listen + "/rocket";
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-chat", "rocketchat", url}}));
  ASSERT_NO_FATAL_FAILURE(AddDomain("shop.example.com"));
  WaitForIssued("shop.example.com");
  app_->Stop();  // the receiver was down all along: the message waits in the store
  app_.reset();

  WebhookReceiver receiver(listen);
  ASSERT_NO_FATAL_FAILURE(StartHub({{"ops-chat", "rocketchat", url}}));
  ASSERT_TRUE(harness::WaitFor([&] { return receiver.Count("/rocket") >= 1; }, kDeliveryTimeout))
      << "the restarted hub should deliver the message queued before the restart";
  json rocket = json::parse(receiver.Requests("/rocket")[0].body);
  EXPECT_EQ(rocket["text"], "Certificate issued: shop.example.com");
  EXPECT_EQ(receiver.Count("/rocket"), 1u);
}

}  // namespace
}  // namespace certfleet::hub
