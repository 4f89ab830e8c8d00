#include "hub/api/api_test_fixture.h"

#include "common/atomic_file.h"
#include "hub/api/body_admission.h"
#include "hub/api/routes.h"
#include "hub/master_key.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::hub::api {

void ApiTest::SetUp() {
  dir_ = std::make_unique<harness::TempDir>("hub-api");
  config_.data_dir = dir_->path();
  config_.body_limit = 64 * 1024;
  config_.issuers.push_back({.name = "pebble", .directory_url = "https://127.0.0.1:1/dir"});
  config_.issuers.push_back(
      {.name = "dns", .directory_url = "https://127.0.0.1:1/dir", .dns01 = true});
  // A catch-all DNS-01 zone, so issuer "dns" may take wildcards (issuance/challenge_plan.h).
  config_.dns01.zones.push_back({.zone = "", .kind = solver::Dns01SolverKind::kDelegation});
  auto store = store::OpenSqliteStore({.path = (dir_->path() / "hub.db").string()});
  ASSERT_TRUE(store) << store.error().message;
  store_ = std::move(*store);
  auto envelope = LoadOrCreateMasterKey(dir_->path());
  ASSERT_TRUE(envelope) << envelope.error().message;
  envelope_.emplace(std::move(*envelope));
  auto created = BootstrapAdminToken(*store_, dir_->path());
  ASSERT_TRUE(created && *created) << "a fresh store must get a bootstrap admin token";
  auto secret = ReadFile(dir_->path() / "admin.token");
  ASSERT_TRUE(secret);
  admin_ = secret->substr(0, secret->find('\n'));
  auth_ = std::make_unique<Authenticator>(*store_, SystemClock::Instance());
  waiters_ = std::make_unique<EventWaiters>(*store_, SystemClock::Instance());
  store_->SetCommitListener([w = waiters_.get()](store::Revision r) { w->OnCommit(r); });
  ctx_.reset(
      new ApiContext{*store_, *envelope_, SystemClock::Instance(), config_, *auth_, *waiters_});
  ctx_->wake_issuance = [this] { ++wakes_; };
  http::Router router;
  AddApiRoutes(router, *ctx_);
  auto server = http::Server::Start(
      {.listen = "127.0.0.1:0",
       .io_threads = 2,
       .body_limit = config_.body_limit,
       .admit_body = [ctx =
                          ctx_.get()](const http::Request& head) { return AdmitBody(*ctx, head); }},
      std::move(router));
  ASSERT_TRUE(server) << server.error().message;
  server_ = std::move(*server);
  base_ = server_->BaseUrl();
}

void ApiTest::TearDown() {
  if (server_) server_->Stop();
  if (ctx_) ctx_->reports->Stop();
  if (store_) store_->SetCommitListener(nullptr);
  if (waiters_) waiters_->Stop();
}

harness::HttpResult ApiTest::Call(const std::string& method, const std::string& path,
                                  const std::string& body) {
  return CallAs(admin_, method, path, body);
}

harness::HttpResult ApiTest::CallAs(const std::string& token, const std::string& method,
                                    const std::string& path, const std::string& body) {
  harness::HttpRequest request;
  request.method = method;
  request.body = body;
  if (!body.empty()) request.headers.push_back("Content-Type: application/json");
  if (!token.empty()) request.headers.push_back("Authorization: Bearer " + token);
  auto result = client_.Fetch(base_ + path, request);
  EXPECT_TRUE(result.ok()) << method << " " << path << ": " << result.error;
  return result;
}

std::string ApiTest::TokenFor(const std::string& role, const std::string& machine) {
  nlohmann::json body = {{"name", role + " token"}, {"role", role}};
  if (!machine.empty()) body["machine"] = machine;
  auto r = Call("POST", "/api/v1/tokens", body.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return Body(r).value("secret", "");
}

void ApiTest::MakeMachine(const std::string& name) {
  auto r = Call("POST", "/api/v1/machines", nlohmann::json{{"name", name}}.dump());
  ASSERT_EQ(r.status, 201) << r.body;
}

nlohmann::json ApiTest::MakeDomain(const nlohmann::json& body) {
  auto r = Call("POST", "/api/v1/domains", body.dump());
  EXPECT_EQ(r.status, 201) << r.body;
  return Body(r);
}

nlohmann::json ApiTest::Body(const harness::HttpResult& r) {
  auto value = nlohmann::json::parse(r.body, nullptr, false);
  return value.is_discarded() ? nlohmann::json() : value;
}

std::string ApiTest::ErrorCodeOf(const harness::HttpResult& r) {
  auto body = Body(r);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("code", "");
}

std::string ApiTest::ErrorMessageOf(const harness::HttpResult& r) {
  auto body = Body(r);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("message", "");
}

}  // namespace certfleet::hub::api
