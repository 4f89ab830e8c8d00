// The two HttpTransports against a real Pebble (integration): the same contract tests
// run for BeastTransport and CurlTransport; keep-alive and reconnect tests are Beast's.
#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "acme/client.h"
#include "common/clock.h"
#include "crypto/key.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "net/beast/beast_transport.h"
#include "net/curl/curl_transport.h"
#include "solver/http01_responder.h"

namespace certfleet::acme {
namespace {

using net::BeastTransport;
using net::CurlTransport;
using net::HttpTransport;

struct TransportKind {
  std::string name;
  std::function<Result<std::unique_ptr<HttpTransport>>(const std::string& ca_file)> make;
};

Result<std::unique_ptr<HttpTransport>> MakeBeast(const std::string& ca_file) {
  auto transport = BeastTransport::Create({.ca_file = ca_file});
  if (!transport) return Fail(transport.error());
  return std::unique_ptr<HttpTransport>(std::move(*transport));
}

Result<std::unique_ptr<HttpTransport>> MakeCurl(const std::string& ca_file) {
  auto transport = CurlTransport::Create({.ca_file = ca_file});
  if (!transport) return Fail(transport.error());
  return std::unique_ptr<HttpTransport>(std::move(*transport));
}

class TransportPebbleTest : public ::testing::TestWithParam<TransportKind> {
 protected:
  void SetUp() override {
    auto solver = solver::StandaloneHttp01Solver::Start("127.0.0.1:0");
    ASSERT_TRUE(solver.has_value()) << solver.error().message;
    solver_ = std::move(*solver);
    auto pebble =
        harness::PebbleServer::Start({.http_port = solver_->port(), .nonce_reject_percent = 50});
    ASSERT_TRUE(pebble.has_value()) << pebble.error().message;
    pebble_ = std::move(*pebble);
    auto transport = GetParam().make(pebble_->CaFile());
    ASSERT_TRUE(transport.has_value()) << transport.error().message;
    transport_ = std::move(*transport);
  }

  std::unique_ptr<solver::StandaloneHttp01Solver> solver_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<HttpTransport> transport_;
};

TEST_P(TransportPebbleTest, GetsTheDirectoryAndHeadGetsANonceWithoutBody) {
  auto directory = transport_->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
  ASSERT_TRUE(directory.has_value()) << directory.error().message;
  EXPECT_EQ(directory->status, 200);
  EXPECT_NE(directory->body.find("newNonce"), std::string::npos) << directory->body;
  const std::string nonce_url =
      "https://127.0.0.1:" + std::to_string(pebble_->listen_port()) + "/nonce-plz";
  auto nonce = transport_->Send({"HEAD", nonce_url, {}, ""});
  ASSERT_TRUE(nonce.has_value()) << nonce.error().message;
  EXPECT_TRUE(nonce->headers.Get("replay-nonce").has_value()) << "header lookup must ignore case";
  EXPECT_TRUE(nonce->body.empty());
}

TEST_P(TransportPebbleTest, IssuesACertificateWithHalfTheNoncesRejected) {
  auto client = Client::Open(*transport_, SystemClock::Instance(), pebble_->DirectoryUrl());
  ASSERT_TRUE(client.has_value()) << client.error().message;
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  ASSERT_TRUE(key.has_value());
  auto account = (*client)->RegisterAccount(*key, {.contact = {"mailto:ops@example.com"}});
  ASSERT_TRUE(account.has_value()) << account.error().message;
  ObtainRequest request{.names = {"a.test", "b.test"}, .solvers = {solver_.get()}};
  auto cert = (*client)->ObtainCertificate(Signer{*key, account->url}, request);
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  EXPECT_TRUE(cert->fullchain_pem.starts_with("-----BEGIN CERTIFICATE-----"));
}

TEST_P(TransportPebbleTest, ServesConcurrentRequestsFromEightThreads) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto response = transport_->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
        if (response && response->status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40) << "every concurrent GET of the directory must succeed";
}

TEST_P(TransportPebbleTest, RejectsPebbleWithoutItsCaAndNamesTheUrl) {
  auto untrusting = GetParam().make("");  // the system store does not know Pebble's CA
  ASSERT_TRUE(untrusting.has_value()) << untrusting.error().message;
  auto response = (*untrusting)->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
  ASSERT_FALSE(response.has_value()) << "an untrusted certificate must fail the request";
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find(pebble_->DirectoryUrl()), std::string::npos)
      << response.error().message;
}

TEST_P(TransportPebbleTest, UnreachableServerIsUnavailableAndNamesTheUrl) {
  const std::string url =
      "https://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()) + "/dir";
  auto response = transport_->Send({"GET", url, {}, ""});
  ASSERT_FALSE(response.has_value()) << "nothing listens on " << url;
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(response.error().message.find(url), std::string::npos) << response.error().message;
}

INSTANTIATE_TEST_SUITE_P(Transports, TransportPebbleTest,
                         ::testing::Values(TransportKind{"Beast", MakeBeast},
                                           TransportKind{"Curl", MakeCurl}),
                         [](const auto& param_info) { return param_info.param.name; });

class BeastTransportPebbleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pebble = harness::PebbleServer::Start({.nonce_reject_percent = 0});
    ASSERT_TRUE(pebble.has_value()) << pebble.error().message;
    pebble_ = std::move(*pebble);
    auto transport = BeastTransport::Create({.ca_file = pebble_->CaFile()});
    ASSERT_TRUE(transport.has_value()) << transport.error().message;
    transport_ = std::move(*transport);
  }

  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<BeastTransport> transport_;
};

TEST_F(BeastTransportPebbleTest, SequentialRequestsShareOneConnection) {
  for (int i = 0; i < 5; ++i) {
    auto response = transport_->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
    ASSERT_TRUE(response.has_value()) << response.error().message;
  }
  EXPECT_EQ(transport_->connections_opened(), 1u) << "keep-alive must reuse the first connection";
}

TEST_F(BeastTransportPebbleTest, ReconnectsWhenTheServerClosedAnIdleConnection) {
  ASSERT_TRUE(transport_->Send({"GET", pebble_->DirectoryUrl(), {}, ""}).has_value());
  pebble_->StopPebble();  // closes the pooled connection from the server's side
  auto restarted = pebble_->RestartPebble();
  ASSERT_TRUE(restarted.has_value()) << restarted.error().message;
  auto response = transport_->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
  ASSERT_TRUE(response.has_value())
      << "a stale pooled connection must be replaced: " << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(transport_->connections_opened(), 2u);
}

TEST_F(BeastTransportPebbleTest, ResponseLargerThanTheLimitIsAProtocolError) {
  auto small = BeastTransport::Create({.ca_file = pebble_->CaFile(), .max_response_bytes = 16});
  ASSERT_TRUE(small.has_value());
  auto response = (*small)->Send({"GET", pebble_->DirectoryUrl(), {}, ""});
  ASSERT_FALSE(response.has_value()) << "the directory is longer than 16 bytes";
  EXPECT_EQ(response.error().code, ErrorCode::kProtocol) << response.error().message;
}

TEST(BeastTransportTest, UnreadableCaFileIsRejectedAtCreate) {
  auto transport = BeastTransport::Create({.ca_file = "/nonexistent/ca.pem"});
  ASSERT_FALSE(transport.has_value());
  EXPECT_EQ(transport.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(transport.error().message.find("/nonexistent/ca.pem"), std::string::npos)
      << transport.error().message;
}

TEST(BeastTransportTest, MalformedOrNonHttpUrlIsInvalidArgument) {
  auto transport = BeastTransport::Create();
  ASSERT_TRUE(transport.has_value()) << transport.error().message;
  for (const char* url : {"not a url", "ftp://127.0.0.1/x", "https:///nohost"}) {
    auto response = (*transport)->Send({"GET", url, {}, ""});
    ASSERT_FALSE(response.has_value()) << url;
    EXPECT_EQ(response.error().code, ErrorCode::kInvalidArgument)
        << url << ": " << response.error().message;
  }
}

}  // namespace
}  // namespace certfleet::acme
