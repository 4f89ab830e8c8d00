// Real Pebble validates HTTP-01 against our responders (integration): directly on the
// standalone solver (the CLI's path) and through nginx proxying the challenge path to a
// server the responder is mounted on (the hub's path).
#include <gtest/gtest.h>

#include "acme/client.h"
#include "common/clock.h"
#include "crypto/key.h"
#include "harness/net.h"
#include "harness/nginx_server.h"
#include "harness/pebble_server.h"
#include "net/curl/curl_transport.h"
#include "solver/http01_responder.h"

namespace certfleet::solver {
namespace {

// Registers an account at `pebble` and obtains one certificate for `names` with `solver`.
Result<acme::ObtainedCertificate> Issue(const harness::PebbleServer& pebble,
                                        acme::ChallengeSolver& solver,
                                        std::vector<std::string> names) {
  auto transport = net::CurlTransport::Create({.ca_file = pebble.CaFile()});
  if (!transport) return Fail(transport.error());
  auto client = acme::Client::Open(**transport, SystemClock::Instance(), pebble.DirectoryUrl());
  if (!client) return Fail(client.error());
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  if (!key) return Fail(key.error());
  auto account = (*client)->RegisterAccount(*key, {.contact = {"mailto:ops@example.com"}});
  if (!account) return Fail(account.error());
  acme::Signer signer{*key, account->url};
  acme::ObtainRequest request;
  request.names = std::move(names);
  request.solvers = {&solver};
  return (*client)->ObtainCertificate(signer, request);
}

TEST(Http01PebbleTest, PebbleValidatesAgainstTheStandaloneSolver) {
  auto solver = StandaloneHttp01Solver::Start("127.0.0.1:0");
  ASSERT_TRUE(solver.has_value()) << solver.error().message;
  auto pebble = harness::PebbleServer::Start({.http_port = (*solver)->port()});
  ASSERT_TRUE(pebble.has_value()) << pebble.error().message;
  auto cert = Issue(**pebble, **solver, {"a.test", "b.test"});
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  EXPECT_TRUE(cert->fullchain_pem.starts_with("-----BEGIN CERTIFICATE-----"));
}

TEST(Http01PebbleTest, PebbleValidatesThroughNginxProxyingToAMountedResponder) {
  Http01Responder responder;
  http::Router router;
  responder.Mount(router);
  auto upstream = http::Server::Start({}, std::move(router));
  ASSERT_TRUE(upstream.has_value()) << upstream.error().message;
  std::uint16_t nginx_port = harness::FreeLoopbackPort();
  auto nginx = harness::NginxServer::Start(
      harness::NginxServer::ChallengeProxyServer(nginx_port, (*upstream)->port()), {nginx_port});
  ASSERT_TRUE(nginx.has_value()) << nginx.error().message;
  auto pebble = harness::PebbleServer::Start({.http_port = nginx_port});
  ASSERT_TRUE(pebble.has_value()) << pebble.error().message;
  auto cert = Issue(**pebble, responder, {"shop.test"});
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  EXPECT_EQ(responder.PresentedCount(), 0u) << "CleanUp must remove the token after the order";
  EXPECT_NE((*nginx)->AccessLog().find("/.well-known/acme-challenge/"), std::string::npos)
      << "Pebble's validation did not pass through nginx";
}

}  // namespace
}  // namespace certfleet::solver
