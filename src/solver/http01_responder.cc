#include "solver/http01_responder.h"

#include <mutex>

namespace certfleet::solver {
namespace {

bool IsBase64Url(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Status Http01Responder::Present(const acme::ChallengeTask& task) {
  auto invalid = [&](const std::string& why) {
    return Fail(ErrorCode::kInvalidArgument,
                task.identifier + ": cannot present the http-01 challenge: " + why);
  };
  if (task.type != "http-01") return invalid("it is a " + task.type + " challenge");
  if (!IsBase64Url(task.token)) return invalid("the CA's token is not base64url");
  if (!task.key_authorization.starts_with(task.token + ".")) {
    return invalid("the key authorization does not start with the token");
  }
  std::unique_lock lock(mu_);
  key_authorizations_[task.token] = task.key_authorization;
  return Ok();
}

Status Http01Responder::CleanUp(const acme::ChallengeTask& task) {
  std::unique_lock lock(mu_);
  key_authorizations_.erase(task.token);
  return Ok();
}

std::optional<std::string> Http01Responder::KeyAuthorization(std::string_view token) const {
  std::shared_lock lock(mu_);
  auto it = key_authorizations_.find(std::string(token));
  if (it == key_authorizations_.end()) return std::nullopt;
  return it->second;
}

size_t Http01Responder::PresentedCount() const {
  std::shared_lock lock(mu_);
  return key_authorizations_.size();
}

http::Response Http01Responder::Serve(std::string_view token) const {
  std::optional<std::string> key_authorization = KeyAuthorization(token);
  if (!key_authorization) {
    // Plain text: the CA shows this body in its problem detail.
    return http::Response::Text("no pending http-01 challenge for this token", 404);
  }
  http::Response response;
  response.headers.Set("Content-Type", "application/octet-stream");
  response.body = std::move(*key_authorization);
  return response;
}

void Http01Responder::Mount(http::Router& router) {
  router.Add("GET", std::string(kChallengePathPrefix) + "{token}",
             [this](const http::Request& request) { return Serve(request.PathParam("token")); });
}

Result<std::unique_ptr<StandaloneHttp01Solver>> StandaloneHttp01Solver::Start(
    const std::string& listen, int io_threads) {
  std::unique_ptr<StandaloneHttp01Solver> solver(new StandaloneHttp01Solver());
  solver->responder_ = std::make_unique<Http01Responder>();
  http::Router router;
  solver->responder_->Mount(router);
  http::ServerOptions options;
  options.listen = listen;
  options.io_threads = io_threads;
  options.name = "http01";
  options.body_limit = 4096;  // the CA sends GETs only
  options.read_timeout = std::chrono::seconds(10);
  auto server = http::Server::Start(std::move(options), std::move(router));
  if (!server) return Fail(server.error().WithContext("starting the standalone http-01 responder"));
  solver->server_ = std::move(*server);
  return solver;
}

StandaloneHttp01Solver::~StandaloneHttp01Solver() {
  if (server_) server_->Stop();
}

}  // namespace certfleet::solver
