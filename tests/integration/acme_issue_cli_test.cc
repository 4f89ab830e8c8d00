// `certfleet acme issue` against a real Pebble with real HTTP-01 validation.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>

#include "common/atomic_file.h"
#include "crypto/key.h"
#include "crypto/x509.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"
#include "http/server.h"

namespace certfleet {
namespace {

namespace fs = std::filesystem;
using harness::CommandResult;
using harness::PebbleServer;

struct Issued {
  CommandResult result;
  fs::path out;
};

class AcmeIssueCliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    http_port_ = harness::FreeLoopbackPort();
    auto pebble = PebbleServer::Start({.http_port = http_port_, .chain_length = 3});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = pebble->release();
  }
  static void TearDownTestSuite() {
    delete pebble_;
    pebble_ = nullptr;
  }

  std::vector<std::string> BaseArgs(const PebbleServer& pebble, std::uint16_t listen_port) const {
    return {CERTFLEET_CLI,
            "acme",
            "issue",
            "--server",
            pebble.DirectoryUrl(),
            "--ca-file",
            pebble.CaFile(),
            "--account-dir",
            (dir_.path() / "account").string(),
            "--email",
            "test@example.com",
            "--http01-listen",
            "127.0.0.1:" + std::to_string(listen_port)};
  }

  Issued Issue(const std::vector<std::string>& names, const std::vector<std::string>& extra = {},
               PebbleServer* pebble = nullptr, std::uint16_t listen_port = 0) {
    pebble = pebble != nullptr ? pebble : pebble_;
    auto args = BaseArgs(*pebble, listen_port != 0 ? listen_port : pebble->http_port());
    for (const auto& n : names) args.insert(args.end(), {"-d", n});
    const fs::path out = dir_.path() / ("out-" + std::to_string(++runs_));
    args.insert(args.end(), {"--out", out.string()});
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = harness::RunCommand(args, std::chrono::seconds(120));
    EXPECT_TRUE(result) << result.error().message;
    return {result ? *result : CommandResult{}, out};
  }

  static std::vector<crypto::Certificate> Chain(const fs::path& out) {
    auto pem = ReadFile(out / "fullchain.pem");
    EXPECT_TRUE(pem) << pem.error().message;
    auto chain = crypto::ParsePemChain(pem ? *pem : "");
    EXPECT_TRUE(chain) << chain.error().message;
    return chain ? *chain : std::vector<crypto::Certificate>{};
  }

  static inline PebbleServer* pebble_ = nullptr;
  static inline std::uint16_t http_port_ = 0;
  harness::TempDir dir_{"acme-cli"};
  int runs_ = 0;
};

TEST_F(AcmeIssueCliTest, IssuesOneNameAndWritesTheFourFilesWithAPrivateKey) {
  auto issued = Issue({"one.example.com"});
  ASSERT_EQ(issued.result.exit_code, 0) << issued.result.output;
  EXPECT_EQ(std::count(issued.result.output.begin(), issued.result.output.end(), '\n'), 1)
      << "expected exactly one summary line, got:\n"
      << issued.result.output;
  EXPECT_NE(issued.result.output.find("issued one.example.com"), std::string::npos);
  for (const char* file : {"privkey.pem", "cert.pem", "chain.pem", "fullchain.pem"}) {
    EXPECT_TRUE(fs::exists(issued.out / file)) << file;
  }
  struct stat st {};
  ASSERT_EQ(::stat((issued.out / "privkey.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "privkey.pem must be readable by its owner only";

  auto leaf = crypto::Certificate::FromPem(ReadFile(issued.out / "cert.pem").value());
  ASSERT_TRUE(leaf);
  auto key = crypto::PrivateKey::FromPem(ReadFile(issued.out / "privkey.pem").value());
  ASSERT_TRUE(key);
  EXPECT_TRUE(leaf->MatchesKey(*key)) << "privkey.pem does not belong to cert.pem";
  EXPECT_EQ(leaf->DnsNames(), std::vector<std::string>{"one.example.com"});
  EXPECT_EQ(key->type(), crypto::KeyType::kEcP256);
}

TEST_F(AcmeIssueCliTest, IssuesSeveralNamesInOneCertificate) {
  auto issued = Issue({"a.several.example", "b.several.example", "C.Several.Example."});
  ASSERT_EQ(issued.result.exit_code, 0) << issued.result.output;
  auto chain = Chain(issued.out);
  ASSERT_FALSE(chain.empty());
  auto names = chain[0].DnsNames();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a.several.example", "b.several.example",
                                             "c.several.example"}));
}

TEST_F(AcmeIssueCliTest, IssuesEveryKeyType) {
  for (const auto type :
       {crypto::KeyType::kEcP256, crypto::KeyType::kEcP384, crypto::KeyType::kRsa2048,
        crypto::KeyType::kRsa3072, crypto::KeyType::kRsa4096}) {
    const std::string name(crypto::KeyTypeName(type));
    auto issued = Issue({name + ".keys.example"}, {"--key-type", name});
    ASSERT_EQ(issued.result.exit_code, 0) << name << ": " << issued.result.output;
    auto key = crypto::PrivateKey::FromPem(ReadFile(issued.out / "privkey.pem").value());
    ASSERT_TRUE(key) << name;
    EXPECT_EQ(key->type(), type) << name;
    auto chain = Chain(issued.out);
    ASSERT_FALSE(chain.empty());
    EXPECT_TRUE(chain[0].MatchesKey(*key)) << name;
  }
}

TEST_F(AcmeIssueCliTest, ChainOfLengthThreeVerifiesAgainstPebblesRoot) {
  auto issued = Issue({"chain.example.com"});
  ASSERT_EQ(issued.result.exit_code, 0) << issued.result.output;
  auto chain = Chain(issued.out);
  // Pebble 2.4 counts intermediates: PEBBLE_CHAIN_LENGTH=3 serves the leaf and three of them.
  ASSERT_EQ(chain.size(), 4u) << "PEBBLE_CHAIN_LENGTH=3: leaf + 3 intermediates";
  EXPECT_TRUE(crypto::CheckChainOrder(chain));
  auto root = crypto::Certificate::FromPem(pebble_->RootPem().value());
  ASSERT_TRUE(root);
  auto verified = crypto::VerifyChain(chain, {*root}, SystemClock::Instance().Now());
  EXPECT_TRUE(verified) << verified.error().message;
}

TEST_F(AcmeIssueCliTest, UnservableChallengeNamesTheDomainAndTheCasDetailAndWritesNothing) {
  // Listen on a port Pebble does not validate against: its GET is refused.
  auto issued = Issue({"unreachable.example.com"}, {}, nullptr, harness::FreeLoopbackPort());
  EXPECT_NE(issued.result.exit_code, 0);
  EXPECT_NE(issued.result.output.find("unreachable.example.com"), std::string::npos)
      << issued.result.output;
  EXPECT_NE(issued.result.output.find("connection refused"), std::string::npos)
      << "the CA's detail should be in the message:\n"
      << issued.result.output;
  EXPECT_FALSE(fs::exists(issued.out / "privkey.pem"));
  EXPECT_FALSE(fs::exists(issued.out / "cert.pem"));
}

TEST_F(AcmeIssueCliTest, UnreachableServerGivesAClearError) {
  auto args = BaseArgs(*pebble_, pebble_->http_port());
  args[4] = "https://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort()) + "/dir";
  args.insert(args.end(), {"-d", "x.example.com", "--out", (dir_.path() / "none").string()});
  auto result = harness::RunCommand(args);
  ASSERT_TRUE(result);
  EXPECT_NE(result->exit_code, 0);
  EXPECT_NE(result->output.find("cannot read the ACME directory"), std::string::npos)
      << result->output;
  EXPECT_FALSE(fs::exists(dir_.path() / "none" / "cert.pem"));
}

TEST_F(AcmeIssueCliTest, InvalidDomainIsRejectedBeforeAnyRequest) {
  std::atomic<int> requests{0};
  http::Router router;
  router.Add("GET", "/{rest...}", [&](const http::Request&) {
    ++requests;
    return http::Response::Text("{}");
  });
  auto server = http::Server::Start({.listen = "127.0.0.1:0"}, std::move(router));
  ASSERT_TRUE(server) << server.error().message;
  auto args = BaseArgs(*pebble_, pebble_->http_port());
  args[4] = (*server)->BaseUrl() + "/dir";
  args.insert(args.end(), {"-d", "bad_name..example.com", "--out", (dir_.path() / "bad").string()});
  auto result = harness::RunCommand(args);
  ASSERT_TRUE(result);
  EXPECT_NE(result->exit_code, 0);
  EXPECT_NE(result->output.find("invalid domain name \"bad_name..example.com\""), std::string::npos)
      << result->output;
  EXPECT_EQ(requests.load(), 0) << "no request may be sent for an invalid name";
}

TEST(AcmeIssueCliNonces, SucceedsWhenPebbleRejectsHalfOfAllNonces) {
  const auto port = harness::FreeLoopbackPort();
  auto pebble = PebbleServer::Start({.http_port = port, .nonce_reject_percent = 50});
  ASSERT_TRUE(pebble) << pebble.error().message;
  harness::TempDir dir("acme-cli-nonce");
  for (int i = 0; i < 3; ++i) {
    const auto out = dir.path() / ("out" + std::to_string(i));
    auto result = harness::RunCommand(
        {CERTFLEET_CLI, "acme", "issue", "--server", (*pebble)->DirectoryUrl(), "--ca-file",
         (*pebble)->CaFile(), "--account-dir", (dir.path() / "account").string(), "--http01-listen",
         "127.0.0.1:" + std::to_string(port), "-d", "nonce" + std::to_string(i) + ".example.com",
         "--out", out.string()},
        std::chrono::seconds(120));
    ASSERT_TRUE(result);
    EXPECT_EQ(result->exit_code, 0) << "badNonce must be retried:\n" << result->output;
    EXPECT_TRUE(fs::exists(out / "fullchain.pem"));
  }
}

}  // namespace
}  // namespace certfleet
