// HTTP-01 solvers (RFC 8555 §8.3): answer GET /.well-known/acme-challenge/{token} with
// the key authorization while a challenge is presented.
//
// Http01Responder keeps the token → key-authorization map and mounts one route on an
// http::Router (the hub's server, or the standalone one below). Only presented tokens
// are answered (200, application/octet-stream, the key authorization and nothing
// else); every other token is 404. The route serves GET and, through the router,
// HEAD; other methods are 405.
//
// Thread safety: Present, CleanUp and the request path may run concurrently.
// Lifetime: the responder must outlive every server it is mounted on.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "acme/challenge_solver.h"
#include "common/error.h"
#include "http/router.h"
#include "http/server.h"

namespace certfleet::solver {

// The path prefix the CA fetches; the token follows it.
inline constexpr std::string_view kChallengePathPrefix = "/.well-known/acme-challenge/";

class Http01Responder final : public acme::ChallengeSolver {
 public:
  std::string_view Type() const override { return "http-01"; }

  // Rejects (kInvalidArgument) a task whose type is not http-01, whose token is not
  // base64url (RFC 8555 §8.1: it ends up in a URL path) or whose key authorization does
  // not start with "<token>.".
  Status Present(const acme::ChallengeTask& task) override;
  // Forgets the token; fine for a token that was never presented.
  Status CleanUp(const acme::ChallengeTask& task) override;

  // The key authorization for `token`, or nullopt when it is not presented.
  std::optional<std::string> KeyAuthorization(std::string_view token) const;
  size_t PresentedCount() const;

  // Adds GET kChallengePathPrefix + "{token}" to `router`.
  void Mount(http::Router& router);

  // The answer for one token (what the route serves).
  http::Response Serve(std::string_view token) const;

 private:
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, std::string> key_authorizations_;  // token → key authz
};

// A Http01Responder on its own http::Server: `certfleet acme issue --http01-listen`.
class StandaloneHttp01Solver final : public acme::ChallengeSolver {
 public:
  // Listens on `listen` ("127.0.0.1:5002"; port 0 picks one). Fails (kIo) when the
  // address cannot be bound, naming it.
  static Result<std::unique_ptr<StandaloneHttp01Solver>> Start(const std::string& listen,
                                                               int io_threads = 1);
  ~StandaloneHttp01Solver() override;

  std::string_view Type() const override { return responder_->Type(); }
  Status Present(const acme::ChallengeTask& task) override { return responder_->Present(task); }
  Status CleanUp(const acme::ChallengeTask& task) override { return responder_->CleanUp(task); }

  std::uint16_t port() const { return server_->port(); }
  std::string BaseUrl() const { return server_->BaseUrl(); }
  // Stops listening; idempotent. Also done by the destructor.
  void Stop() { server_->Stop(); }

 private:
  StandaloneHttp01Solver() = default;

  // Declared first so it outlives the server that serves it.
  std::unique_ptr<Http01Responder> responder_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace certfleet::solver
