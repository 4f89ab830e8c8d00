#include "agent/http_hub_client.h"

#include <gtest/gtest.h>

#include "net/testing/fake_transport.h"

namespace certfleet::agent {
namespace {

class HttpHubClientTest : public ::testing::Test {
 protected:
  std::shared_ptr<net::FakeTransport> api_ = std::make_shared<net::FakeTransport>();
  std::shared_ptr<net::FakeTransport> watch_ = std::make_shared<net::FakeTransport>();
  HttpHubClient client_{"https://hub.test:8440/", "tok3n", api_, watch_};
};

TEST_F(HttpHubClientTest, ReadsTheDesiredStateWithTheMachineToken) {
  api_->EnqueueJson(200, R"({"machine_id":3,"machine":"web-1","revision":42,"certificates":[
      {"domain_id":1,"domain":"a.example.com","sans":["www.a.example.com"],"certificate_id":7,
       "sha256":"ab","not_after":"2027-01-01T00:00:00Z"},
      {"domain_id":2,"domain":"b.example.com","sans":[],"certificate_id":null,"sha256":"","not_after":null}]})");
  auto state = client_.GetDesiredState();
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_EQ(state->revision, 42);
  ASSERT_EQ(state->certificates.size(), 2u);
  EXPECT_EQ(state->certificates[0].certificate_id, 7);
  EXPECT_EQ(state->certificates[0].sans[0], "www.a.example.com");
  EXPECT_FALSE(state->certificates[1].certificate_id);
  const auto request = api_->requests().at(0);
  EXPECT_EQ(request.url, "https://hub.test:8440/api/v1/agent/desired");
  EXPECT_EQ(request.headers.Get("Authorization"), "Bearer tok3n");
}

TEST_F(HttpHubClientTest, ReportsDeploymentsWithTheHubsFieldNames) {
  api_->EnqueueJson(201, "{}");
  ASSERT_TRUE(client_.ReportDeployment(
      {7, "a.example.com", DeploymentOutcome::kFailed, "ab", "nginx -t failed"}));
  const auto request = api_->requests().at(0);
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "https://hub.test:8440/api/v1/agent/deployments");
  EXPECT_EQ(request.body,
            R"({"certificate_id":7,"error":"nginx -t failed","sha256":"ab","status":"failed"})")
      << "the hub rejects unknown fields, so only these four may be sent";
}

TEST_F(HttpHubClientTest, MapsRefusalsToPermissionDeniedWithTheHubsMessage) {
  api_->EnqueueJson(
      403, R"({"error":{"code":"permission_denied","message":"certificate 9 belongs elsewhere"}})");
  auto bundle = client_.GetCertificate(9);
  ASSERT_FALSE(bundle);
  EXPECT_EQ(bundle.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(bundle.error().message.find("certificate 9 belongs elsewhere"), std::string::npos)
      << bundle.error().message;
}

TEST_F(HttpHubClientTest, ServerErrorsAreRetryable) {
  api_->EnqueueJson(503, R"({"error":{"message":"store busy"}})");
  auto state = client_.GetDesiredState();
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::kUnavailable);
}

TEST_F(HttpHubClientTest, MalformedAnswersAreProtocolErrors) {
  api_->EnqueueJson(200, R"({"machine":"web-1"})");
  auto state = client_.GetDesiredState();
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::kProtocol);
}

// A number that is not an integer where an id or revision belongs: malformed, never cast
// (4.3e44 as a long is undefined behaviour; found by tests/fuzz/agent_hub_answers_fuzz).
TEST_F(HttpHubClientTest, NonIntegerRevisionsAndIdsAreProtocolErrors) {
  for (const char* revision : {"4.33e44", "3.7", "\"7\""}) {
    api_->EnqueueJson(200, std::string(R"({"machine":"web-1","revision":)") + revision +
                               R"(,"certificates":[]})");
    auto state = client_.GetDesiredState();
    ASSERT_FALSE(state) << revision;
    EXPECT_EQ(state.error().code, ErrorCode::kProtocol) << revision;
    EXPECT_NE(state.error().message.find("expected an integer"), std::string::npos)
        << state.error().message;
  }
  api_->EnqueueJson(200, R"({"machine":"web-1","revision":3,"certificates":[{"domain":"a.test",
      "sans":[],"certificate_id":1e300,"sha256":"","not_after":null}]})");
  EXPECT_FALSE(client_.GetDesiredState()) << "a certificate id of 1e300";
  watch_->EnqueueJson(200, R"({"events":[],"revision":-9.9e99})");
  auto page = client_.Watch(42, std::chrono::seconds(30));
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error().code, ErrorCode::kProtocol);
}

TEST_F(HttpHubClientTest, WatchUsesItsOwnTransportAndReturnsTheCursor) {
  watch_->EnqueueJson(200, R"({"events":[{"revision":44,"id":1,"type":"machine.desired_changed",
      "subject":"machine:web-1","payload":{},"created_at":"2026-01-01T00:00:00Z"}],"revision":45})");
  auto page = client_.Watch(42, std::chrono::seconds(30));
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->revision, 45);
  EXPECT_EQ(page->event_types.size(), 1u);
  EXPECT_EQ(watch_->requests().at(0).url,
            "https://hub.test:8440/api/v1/events?since=42&wait=30"
            "&types=machine.desired_changed,machine.redeploy_requested")
      << "the agent asks only for what can change its desired state (not its own reports)";
  EXPECT_EQ(api_->request_count(), 0u);
}

TEST_F(HttpHubClientTest, ReadsACertificateBundle) {
  api_->EnqueueJson(
      200, R"({"id":7,"domain":"a.example.com","sha256":"ab","chain_pem":"C","key_pem":"K"})");
  auto bundle = client_.GetCertificate(7);
  ASSERT_TRUE(bundle) << bundle.error().message;
  EXPECT_EQ(bundle->chain_pem, "C");
  EXPECT_EQ(bundle->key_pem, "K");
}

// Review 2026-12-06, F6: a report's error text with bytes that are not UTF-8 made the
// strict JSON encoder throw; the agent died before reporting.
TEST_F(HttpHubClientTest, ReportWithBytesThatAreNotUtf8IsSentWithReplacements) {
  api_->EnqueueJson(201, "{}");
  auto sent = client_.ReportDeployment(
      {7, "a.example.com", DeploymentOutcome::kFailed, "ab", "unknown directive \"caf\xE9\""});
  ASSERT_TRUE(sent) << sent.error().message;
  EXPECT_NE(api_->requests().at(0).body.find("caf\xEF\xBF\xBD"), std::string::npos)
      << api_->requests().at(0).body;
}

}  // namespace
}  // namespace certfleet::agent
