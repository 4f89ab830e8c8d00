#include "agent/discovery/discoverer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "agent/discovery/inventory_json.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::agent::discovery {
namespace {

namespace fs = std::filesystem;

class DiscovererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("certfleet-discoverer-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "ssl");
    ca_.emplace(crypto::testing::TestCa::Create().value());
    shop_ = ca_->Issue({.dns_names = {"shop.test", "www.shop.test"}}).value();
    Write("ssl/shop.crt", shop_->chain_pem);
    Write("ssl/shop.key", shop_->key_pem);
    Write("ssl/junk.crt", "not a certificate\n");
    config_ =
        "http {\n"
        "  server { listen 443 ssl; server_name shop.test www.shop.test;\n"
        "    ssl_certificate " +
        (dir_ / "ssl/shop.crt").string() +
        ";\n"
        "    ssl_certificate_key " +
        (dir_ / "ssl/shop.key").string() +
        "; }\n"
        "  server { listen 443 ssl; server_name gone.test;\n"
        "    ssl_certificate " +
        (dir_ / "ssl/gone.crt").string() +
        "; }\n"
        "  server { listen 443 ssl; server_name junk.test;\n"
        "    ssl_certificate " +
        (dir_ / "ssl/junk.crt").string() +
        ";\n"
        "    ssl_certificate_key " +
        (dir_ / "ssl/gone.key").string() +
        "; }\n"
        "  server { listen 443 ssl; server_name *.vars.test;\n"
        "    ssl_certificate /certs/$ssl_server_name.crt;\n"
        "    ssl_certificate_key /certs/$ssl_server_name.key; }\n"
        "}\n";
    Write("nginx.conf", config_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }

  // nginx -T answers with the dump of nginx.conf; every handshake gets shop's leaf, except
  // gone.test's, which fails.
  DiscoverySeams Seams(bool dump_works) {
    const std::string main = (dir_ / "nginx.conf").string();
    const std::string dump = "# configuration file " + main + ":\n" + config_ + "\n";
    auto leaf = shop_->leaf;
    return {[=](const std::string& command, Duration) -> Result<std::string> {
              commands_.push_back(command);
              if (!dump_works) return Fail(ErrorCode::kUnavailable, "nginx: [emerg] gone.crt");
              return dump;
            },
            [=](const std::string& address, const std::string& name,
                Duration) -> Result<crypto::Certificate> {
              if (name == "gone.test") return Fail(ErrorCode::kUnavailable, "handshake failed");
              EXPECT_EQ(address, "127.0.0.1:443");
              return leaf;
            }};
  }

  Inventory Run(bool dump_works) {
    DiscoveryOptions options;
    options.nginx_config = (dir_ / "nginx.conf").string();
    options.output_dir = "/etc/certfleet";
    return Discover(options, SystemClock::Instance(), Seams(dump_works));
  }

  fs::path dir_;
  std::optional<crypto::testing::TestCa> ca_;
  std::optional<crypto::testing::IssuedLeaf> shop_;
  std::string config_;
  inline static std::vector<std::string> commands_;
};

TEST_F(DiscovererTest, ReportsEachPairWithWhatTheFilesSayAndNeverTheKey) {
  const Inventory inv = Run(true);
  EXPECT_EQ(inv.source, "nginx -T");
  EXPECT_TRUE(inv.nginx_error.empty());
  ASSERT_EQ(inv.servers.size(), 4u);
  const auto& shop = inv.servers[0].pairs.at(0);
  EXPECT_EQ(shop.certificate.status, FileStatus::kOk);
  EXPECT_EQ(shop.certificate.sha256, shop_->leaf.Sha256Fingerprint());
  EXPECT_EQ(shop.certificate.line, 3);
  EXPECT_EQ(shop.key.status, FileStatus::kOk);
  EXPECT_EQ(inv.servers[1].pairs.at(0).certificate.status, FileStatus::kMissing);
  EXPECT_EQ(inv.servers[1].pairs.at(0).key.status, FileStatus::kAbsent);
  EXPECT_EQ(inv.servers[2].pairs.at(0).certificate.status, FileStatus::kInvalid);
  EXPECT_EQ(inv.servers[2].pairs.at(0).key.status, FileStatus::kMissing);
  EXPECT_EQ(inv.servers[3].pairs.at(0).certificate.status, FileStatus::kVariable);
  ASSERT_EQ(inv.certificates.size(), 1u) << "shop's file and the served leaf are one certificate";
  const CertificateFacts& facts = inv.certificates[0];
  EXPECT_EQ(facts.names, (std::vector<std::string>{"shop.test", "www.shop.test"}));
  EXPECT_EQ(facts.key_type, "ec-p256");
  EXPECT_EQ(facts.chain_length, 2);
  EXPECT_EQ(facts.not_after, shop_->leaf.NotAfter());
  const std::string json = InventoryJson(inv).dump();
  EXPECT_EQ(json.find("PRIVATE KEY"), std::string::npos) << "key contents never reported";
}

TEST_F(DiscovererTest, ProbesEveryNameAndRecordsFailures) {
  const Inventory inv = Run(true);
  ASSERT_EQ(inv.probes.size(), 5u);  // shop, www.shop, gone, junk, certfleet-probe.vars
  EXPECT_EQ(inv.probes[0].name, "shop.test");
  EXPECT_EQ(inv.probes[0].sha256, shop_->leaf.Sha256Fingerprint());
  EXPECT_EQ(inv.probes[2].name, "gone.test");
  EXPECT_TRUE(inv.probes[2].sha256.empty());
  EXPECT_EQ(inv.probes[2].error, "handshake failed");
  EXPECT_EQ(inv.probes[4].name, "certfleet-probe.vars.test");
}

TEST_F(DiscovererTest, ReadsTheFilesWhenNginxMinusTFails) {
  const Inventory inv = Run(false);
  EXPECT_EQ(inv.source, "files");
  EXPECT_EQ(inv.nginx_error, "nginx: [emerg] gone.crt");
  EXPECT_EQ(inv.main_file, (dir_ / "nginx.conf").string());
  ASSERT_EQ(inv.servers.size(), 4u);
  EXPECT_EQ(inv.servers[0].pairs.at(0).certificate.status, FileStatus::kOk);
}

TEST_F(DiscovererTest, APrintoutForThePersonAtTheTerminal) {
  std::ostringstream out;
  PrintInventory(Run(true), out);
  EXPECT_NE(out.str().find("server shop.test www.shop.test"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("gone.crt: missing"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("served gone.test at 127.0.0.1:443: handshake failed"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace certfleet::agent::discovery
