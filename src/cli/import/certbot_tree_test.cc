#include "cli/import/certbot_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "cli/import/renewal_conf.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::cli::import {
namespace {

namespace fs = std::filesystem;
using crypto::testing::IssuedLeaf;
using crypto::testing::TestCa;

const TestCa& Ca() {
  static const TestCa ca = TestCa::Create().value();
  return ca;
}

class CertbotTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("certfleet-certbot-tree-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "renewal");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  // A lineage as certbot lays it out: archive/<n>/fullchain1.pem + privkey1.pem, live/<n>/
  // links to them, renewal/<n>.conf naming the live/ paths.
  IssuedLeaf Lineage(const std::string& name, const std::vector<std::string>& names,
                     bool with_conf = true) {
    IssuedLeaf leaf = Ca().Issue({.dns_names = names}).value();
    Write(dir_ / "archive" / name / "fullchain1.pem", leaf.chain_pem);
    Write(dir_ / "archive" / name / "privkey1.pem", leaf.key_pem);
    fs::create_directories(dir_ / "live" / name);
    for (const char* f : {"fullchain", "privkey"}) {
      fs::create_symlink(fs::path("../../archive") / name / (std::string(f) + "1.pem"),
                         dir_ / "live" / name / (std::string(f) + ".pem"));
    }
    if (with_conf) {
      const std::string live = (dir_ / "live" / name).string();
      Write(dir_ / "renewal" / (name + ".conf"),
            "# renew_before_expiry = 30 days\nversion = 2.1.0\n"
            "cert = " +
                live + "/cert.pem\nprivkey = " + live +
                "/privkey.pem\n"
                "fullchain = " +
                live +
                "/fullchain.pem\n\n[renewalparams]\n"
                "authenticator = standalone\nserver = https://localhost:14000/dir\nkey_type = "
                "ecdsa\n");
    }
    return leaf;
  }

  ImportSet Read() {
    auto set = ReadCertbotTree(dir_);
    EXPECT_TRUE(set) << set.error().message;
    return set ? *set : ImportSet{};
  }

  fs::path dir_;
};

TEST(RenewalConf, KeysSectionsCommentsAndQuotes) {
  auto conf = ParseRenewalConf(
      "# c\nfullchain = /l/f.pem\nprivkey = \"/l/p.pem\"\n[renewalparams]\nserver = https://x\n"
      "[[webroot_map]]\na.test = /var/www\n",
      "renewal/a.conf");
  ASSERT_TRUE(conf) << conf.error().message;
  EXPECT_EQ(conf->Get("fullchain"), "/l/f.pem");
  EXPECT_EQ(conf->Get("privkey"), "/l/p.pem");
  EXPECT_EQ(conf->Param("server"), "https://x");
  EXPECT_EQ(conf->sections.at("webroot_map").at("a.test"), "/var/www");
  auto bad = ParseRenewalConf("fullchain = /x\nthis is not configobj\n", "renewal/b.conf");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message,
            "renewal/b.conf line 2: expected \"key = value\", got \"this is not configobj\"");
}

TEST_F(CertbotTreeTest, EveryLineageBecomesACandidateWithItsNamesAndKeyType) {
  const IssuedLeaf shop = Lineage("shop.test", {"www.shop.test", "shop.test"});
  Lineage("blog.test-0001", {"blog.test"});
  Lineage("old.test", {"old.test"}, /*with_conf=*/false);
  const ImportSet set = Read();
  EXPECT_TRUE(set.problems.empty()) << set.problems[0].error;
  ASSERT_EQ(set.candidates.size(), 3u);
  EXPECT_EQ(set.candidates[0].label, "blog.test-0001");
  EXPECT_EQ(set.candidates[0].name, "blog.test") << "certbot's -0001 suffix is not a name";
  const ImportCandidate& s = set.candidates[2];
  EXPECT_EQ(s.name, "shop.test") << "the lineage name is the primary when the certificate has it";
  EXPECT_EQ(s.sans, std::vector<std::string>{"www.shop.test"});
  EXPECT_EQ(s.key_type, "ec-p256");
  EXPECT_EQ(s.sha256, shop.leaf.Sha256Fingerprint());
  EXPECT_EQ(s.acme_server, "https://localhost:14000/dir");
  EXPECT_EQ(set.candidates[1].label, "old.test") << "live/ without a renewal conf is read too";
}

TEST_F(CertbotTreeTest, EachBrokenLineageIsReportedByNameAndTheRestImported) {
  Lineage("good.test", {"good.test"});
  Write(dir_ / "renewal/garbled.test.conf", "fullchain = /x\n<<<not configobj>>>\n");
  Lineage("dangling.test", {"dangling.test"});
  fs::remove(dir_ / "archive/dangling.test/fullchain1.pem");
  Lineage("mismatch.test", {"mismatch.test"});
  Write(dir_ / "archive/mismatch.test/privkey1.pem",
        Ca().Issue({.dns_names = {"x.test"}})->key_pem);
  const ImportSet set = Read();
  ASSERT_EQ(set.candidates.size(), 1u);
  EXPECT_EQ(set.candidates[0].label, "good.test");
  ASSERT_EQ(set.problems.size(), 3u);
  EXPECT_EQ(set.problems[0].label, "dangling.test");
  EXPECT_NE(set.problems[0].error.find("is a link to ../../archive/dangling.test/fullchain1.pem, "
                                       "which does not exist"),
            std::string::npos)
      << set.problems[0].error;
  EXPECT_EQ(set.problems[1].label, "garbled.test");
  EXPECT_NE(set.problems[1].error.find("renewal/garbled.test.conf line 2"), std::string::npos)
      << set.problems[1].error;
  EXPECT_EQ(set.problems[2].label, "mismatch.test");
  EXPECT_NE(set.problems[2].error.find("does not belong to the certificate"), std::string::npos)
      << set.problems[2].error;
}

TEST_F(CertbotTreeTest, RefusesADirectoryThatIsNoCertbotTree) {
  auto set = ReadCertbotTree(dir_ / "renewal");
  ASSERT_FALSE(set);
  EXPECT_NE(set.error().message.find("is not a certbot configuration directory"),
            std::string::npos);
}

TEST_F(CertbotTreeTest, PemDirectoryPairsCrtWithKey) {
  const IssuedLeaf a = Ca().Issue({.dns_names = {"a.test"}}).value();
  Write(dir_ / "pem/a.test.crt", a.chain_pem);
  Write(dir_ / "pem/a.test.key", a.key_pem);
  Write(dir_ / "pem/lonely.crt", a.chain_pem);
  Write(dir_ / "pem/bad.crt", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
  Write(dir_ / "pem/bad.key", a.key_pem);
  auto set = ReadPemDirectory(dir_ / "pem");
  ASSERT_TRUE(set) << set.error().message;
  ASSERT_EQ(set->candidates.size(), 1u);
  EXPECT_EQ(set->candidates[0].name, "a.test");
  ASSERT_EQ(set->problems.size(), 2u);
  EXPECT_EQ(set->problems[0].label, "bad");
  EXPECT_NE(set->problems[0].error.find("certificate chain"), std::string::npos);
  EXPECT_EQ(set->problems[1].label, "lonely");
  EXPECT_NE(set->problems[1].error.find("has no lonely.key beside it"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::cli::import
