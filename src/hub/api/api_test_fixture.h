// ApiTest: a real hub API (http::Server on 127.0.0.1:0, SQLite in a temp dir, the real
// routes) driven over HTTP with libcurl. No issuance worker: Wake calls are counted.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "harness/http_client.h"
#include "harness/temp_dir.h"
#include "http/server.h"
#include "hub/api/context.h"
#include "hub/api/event_waiters.h"
#include "hub/auth.h"
#include "hub/config.h"

namespace certfleet::hub::api {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // One request as `token` (admin by default; "" sends no Authorization header).
  harness::HttpResult Call(const std::string& method, const std::string& path,
                           const std::string& body = "");
  harness::HttpResult CallAs(const std::string& token, const std::string& method,
                             const std::string& path, const std::string& body = "");
  // Creates a token of `role` (bound to `machine` for agents) and returns its secret.
  std::string TokenFor(const std::string& role, const std::string& machine = "");
  // Creates a customer / machine / domain through the API; fails the test otherwise.
  void MakeMachine(const std::string& name);
  nlohmann::json MakeDomain(const nlohmann::json& body);

  static nlohmann::json Body(const harness::HttpResult& r);
  // The error code of a JSON error body ("" when the body has none).
  static std::string ErrorCodeOf(const harness::HttpResult& r);
  static std::string ErrorMessageOf(const harness::HttpResult& r);

  std::unique_ptr<harness::TempDir> dir_;
  HubConfig config_;
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<EventWaiters> waiters_;
  std::unique_ptr<ApiContext> ctx_;
  std::unique_ptr<http::Server> server_;
  std::atomic<int> wakes_{0};
  std::string admin_;
  std::string base_;
  harness::HttpClient client_;
};

}  // namespace certfleet::hub::api
