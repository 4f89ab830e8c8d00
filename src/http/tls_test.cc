// http::Server with TLS, against real clients (libcurl and openssl s_client).
#include <gtest/gtest.h>

#include "crypto/testing/test_ca.h"
#include "harness/http_client.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "http/server.h"

namespace certfleet::http {
namespace {

using crypto::testing::TestCa;

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = TestCa::Create(1, "tls test");
    ASSERT_TRUE(ca) << ca.error().message;
    ca_.emplace(std::move(*ca));
    dir_.WriteFile("ca.pem", ca_->RootPem());
    first_ = IssueInto("localhost");
  }

  // Issues a certificate for `name` and writes it to cert.pem / key.pem; returns its SHA-256.
  std::string IssueInto(const std::string& name) {
    auto leaf = ca_->Issue({.dns_names = {name}});
    EXPECT_TRUE(leaf) << leaf.error().message;
    dir_.WriteFile("cert.pem", leaf->chain_pem);
    dir_.WriteFile("key.pem", leaf->key_pem);
    return leaf->leaf.Sha256Fingerprint();
  }

  std::unique_ptr<Server> Start() {
    Router router;
    router.Add("GET", "/hello", [](const Request&) { return Response::Text("hello over tls"); });
    ServerOptions options;
    options.tls =
        TlsOptions{(dir_.path() / "cert.pem").string(), (dir_.path() / "key.pem").string()};
    auto server = Server::Start(options, std::move(router));
    EXPECT_TRUE(server) << server.error().message;
    return server ? std::move(*server) : nullptr;
  }

  // SHA-256 (lower-case hex) of the certificate a new TLS connection is given, by openssl.
  std::string ServedFingerprint(std::uint16_t port, const std::string& extra = "") {
    auto out = harness::RunCommand(
        {"/bin/sh", "-c",
         "openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -servername localhost " +
             extra +
             " </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha256 2>/dev/null | "
             "sed 's/.*=//; s/://g' | tr A-F a-f"});
    EXPECT_TRUE(out) << out.error().message;
    std::string text = out ? out->output : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  harness::TempDir dir_{"tls"};
  std::optional<TestCa> ca_;
  std::string first_;
};

TEST_F(TlsServerTest, ServesHttpsToAClientThatTrustsTheCa) {
  auto server = Start();
  ASSERT_TRUE(server);
  EXPECT_EQ(server->BaseUrl().rfind("https://", 0), 0u) << server->BaseUrl();
  auto result = harness::HttpGet("https://localhost:" + std::to_string(server->port()) + "/hello",
                                 (dir_.path() / "ca.pem").string());
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.body, "hello over tls");
  EXPECT_EQ(ServedFingerprint(server->port()), first_);
}

TEST_F(TlsServerTest, AClientWithoutTheCaRefusesTheServer) {
  auto server = Start();
  ASSERT_TRUE(server);
  auto result = harness::HttpGet("https://localhost:" + std::to_string(server->port()) + "/hello");
  EXPECT_FALSE(result.ok()) << "a certificate from an unknown CA was accepted";
}

TEST_F(TlsServerTest, Tls11AndPlainHttpAreRefused) {
  auto server = Start();
  ASSERT_TRUE(server);
  EXPECT_EQ(ServedFingerprint(server->port(), "-tls1_1 -cipher 'DEFAULT:@SECLEVEL=0'"), "")
      << "TLS 1.1 must not complete";
  EXPECT_EQ(ServedFingerprint(server->port(), "-tls1_2"), first_) << "TLS 1.2 must work";
  auto plain = harness::HttpGet("http://127.0.0.1:" + std::to_string(server->port()) + "/hello");
  EXPECT_NE(plain.status, 200) << "plain HTTP on the TLS port";
}

TEST_F(TlsServerTest, ReloadServesTheNewCertificateToNewConnections) {
  auto server = Start();
  ASSERT_TRUE(server);
  const std::string second = IssueInto("localhost");
  ASSERT_NE(second, first_);
  EXPECT_EQ(ServedFingerprint(server->port()), first_) << "nothing changes before the reload";
  ASSERT_TRUE(server->ReloadTls());
  EXPECT_EQ(ServedFingerprint(server->port()), second);
}

TEST_F(TlsServerTest, ABrokenReloadKeepsTheCurrentCertificate) {
  auto server = Start();
  ASSERT_TRUE(server);
  dir_.WriteFile("key.pem", "not a key");
  auto reloaded = server->ReloadTls();
  ASSERT_FALSE(reloaded);
  EXPECT_NE(reloaded.error().message.find("key.pem"), std::string::npos)
      << reloaded.error().message;
  EXPECT_EQ(ServedFingerprint(server->port()), first_);
}

TEST_F(TlsServerTest, StartFailsNamingAMissingCertificateFile) {
  ServerOptions options;
  options.tls =
      TlsOptions{(dir_.path() / "missing.pem").string(), (dir_.path() / "key.pem").string()};
  auto server = Server::Start(options, Router{});
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("missing.pem"), std::string::npos)
      << server.error().message;
}

}  // namespace
}  // namespace certfleet::http
