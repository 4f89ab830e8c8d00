// `certfleet acme issue --dns01-rfc2136` against real BIND (updated with TSIG, and
// Pebble's resolver) and real Pebble validating DNS-01.
#include <gtest/gtest.h>

#include <filesystem>

#include "common/atomic_file.h"
#include "crypto/x509.h"
#include "harness/named_server.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet {
namespace {

namespace fs = std::filesystem;

class AcmeDns01CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto named = harness::NamedServer::Start({.zones = {{"example.test", "shop A 127.0.0.1\n"}}});
    ASSERT_TRUE(named) << named.error().message;
    named_ = std::move(*named);
    auto pebble = harness::PebbleServer::Start({.dns_server = named_->Address()});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = std::move(*pebble);
  }

  harness::CommandResult Issue(const std::vector<std::string>& names,
                               const std::vector<std::string>& extra,
                               const std::map<std::string, std::string>& env = {}) {
    std::vector<std::string> args = {CERTFLEET_CLI,
                                     "acme",
                                     "issue",
                                     "--server",
                                     pebble_->DirectoryUrl(),
                                     "--ca-file",
                                     pebble_->CaFile(),
                                     "--account-dir",
                                     (dir_.path() / "account").string(),
                                     "--out",
                                     out_.string(),
                                     "--dns01-rfc2136",
                                     named_->Address(),
                                     "--dns01-zone",
                                     "example.test",
                                     "--dns01-check",
                                     named_->Address()};
    for (const std::string& name : names) args.insert(args.end(), {"-d", name});
    args.insert(args.end(), extra.begin(), extra.end());
    auto result = harness::RunCommand(args, std::chrono::seconds(120), env);
    EXPECT_TRUE(result) << result.error().message;
    return result.value_or(harness::CommandResult{});
  }

  std::unique_ptr<harness::NamedServer> named_;
  std::unique_ptr<harness::PebbleServer> pebble_;
  harness::TempDir dir_{"acme-dns01-cli"};
  fs::path out_ = dir_.path() / "out";
};

TEST_F(AcmeDns01CliTest, IssuesAWildcardWithTheKeygenFileAndRemovesTheRecord) {
  auto result = Issue({"shop.example.test", "*.shop.example.test"},
                      {"--tsig-secret-file", named_->KeyFile()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  auto leaf = crypto::Certificate::FromPem(ReadFile(out_ / "cert.pem").value());
  ASSERT_TRUE(leaf);
  auto names = leaf->DnsNames();
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"*.shop.example.test", "shop.example.test"}));
  auto left = named_->Dig("_acme-challenge.shop.example.test", "TXT");
  ASSERT_TRUE(left) << left.error().message;
  EXPECT_TRUE(left->empty()) << "the TXT record must be removed after the order";
}

TEST_F(AcmeDns01CliTest, TakesTheSecretFromTheEnvironment) {
  auto result = Issue({"*.shop.example.test"}, {"--tsig-key", named_->key_name()},
                      {{"CERTFLEET_TSIG_SECRET", named_->key_secret()}});
  ASSERT_EQ(result.exit_code, 0) << result.output;
}

TEST_F(AcmeDns01CliTest, AWrongSecretSaysSoAndWritesNothing) {
  auto result = Issue({"*.shop.example.test"}, {"--tsig-key", named_->key_name()},
                      {{"CERTFLEET_TSIG_SECRET", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.output.find("*.shop.example.test: presenting the dns-01 challenge"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("(BADSIG)"), std::string::npos) << result.output;
  EXPECT_FALSE(fs::exists(out_ / "cert.pem"));
}

TEST_F(AcmeDns01CliTest, MissingFlagsAreNamed) {
  auto no_secret = Issue({"*.shop.example.test"}, {"--tsig-key", "acme-key"});
  EXPECT_NE(no_secret.exit_code, 0);
  EXPECT_NE(no_secret.output.find("--tsig-secret-file or CERTFLEET_TSIG_SECRET is required"),
            std::string::npos)
      << no_secret.output;
}

}  // namespace
}  // namespace certfleet
