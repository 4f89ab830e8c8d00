#include "agent/discovery/uploader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agent/discovery/discovery_loop.h"
#include "agent/discovery/fake_inventory_client.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::agent::discovery {
namespace {

namespace fs = std::filesystem;

class UploaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("certfleet-uploader-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ca_.emplace(crypto::testing::TestCa::Create().value());
    leaf_ = ca_->Issue({.dns_names = {"shop.test"}}).value();
    std::ofstream(dir_ / "shop.crt") << leaf_->chain_pem;
    std::ofstream(dir_ / "shop.key") << leaf_->key_pem;
    ServerReport server;
    server.server_names = {"shop.test"};
    server.pairs.push_back({{(dir_ / "shop.crt").string(), "", 3, FileStatus::kOk, "",
                             leaf_->leaf.Sha256Fingerprint()},
                            {(dir_ / "shop.key").string(), "", 4, FileStatus::kOk, "", ""},
                            false});
    inventory_.servers.push_back(server);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::optional<crypto::testing::TestCa> ca_;
  std::optional<crypto::testing::IssuedLeaf> leaf_;
  Inventory inventory_;
  FakeInventoryClient hub_;
};

TEST_F(UploaderTest, UploadsTheWantedPairReadNow) {
  const auto outcome =
      AnswerUploads({{7, "shop.test", leaf_->leaf.Sha256Fingerprint()}}, inventory_, hub_);
  EXPECT_EQ(outcome.uploaded, 1);
  ASSERT_EQ(hub_.sent().size(), 1u);
  EXPECT_EQ(hub_.sent()[0].id, 7);
  EXPECT_EQ(hub_.sent()[0].chain_pem, leaf_->chain_pem);
  EXPECT_EQ(hub_.sent()[0].key_pem, leaf_->key_pem);
}

TEST_F(UploaderTest, DeclinesWhatIsNotHereAnyMoreSayingWhy) {
  const std::string other(64, 'e');
  auto outcome = AnswerUploads({{8, "shop.test", other}}, inventory_, hub_);
  EXPECT_EQ(outcome.declined, 1);
  ASSERT_EQ(hub_.sent().size(), 1u);
  EXPECT_NE(hub_.sent()[0].reason.find("no certificate with SHA-256 " + other), std::string::npos);
  std::ofstream(dir_ / "shop.crt") << ca_->Issue({.dns_names = {"shop.test"}})->chain_pem;
  outcome = AnswerUploads({{9, "shop.test", leaf_->leaf.Sha256Fingerprint()}}, inventory_, hub_);
  EXPECT_EQ(outcome.declined, 1);
  EXPECT_NE(hub_.sent()[1].reason.find("changed since the last discovery"), std::string::npos)
      << hub_.sent()[1].reason;
}

TEST(DiscoveryLoop, ReportsAtStartAndAnswersUploadsBetweenPasses) {
  auto hub = std::make_shared<FakeInventoryClient>();
  DiscoverySeams seams{
      [](const std::string&, Duration) -> Result<std::string> {
        return std::string("# configuration file /n.conf:\nevents {}\n\n");
      },
      [](const std::string&, const std::string&, Duration) -> Result<crypto::Certificate> {
        return Fail(ErrorCode::kUnavailable, "no");
      }};
  FakeClock clock;
  DiscoveryLoop loop(
      {}, {.interval = std::chrono::hours(1), .upload_poll = std::chrono::milliseconds(5)}, clock,
      hub, seams);
  loop.Start();
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the loop did not wait after its first pass";
  hub->Want({3, "gone.test", std::string(64, 'f')});
  clock.Advance(std::chrono::milliseconds(4));
  ASSERT_TRUE(clock.AwaitWaiters(1));
  EXPECT_TRUE(hub->sent().empty()) << "asked for uploads before upload_poll was over";
  clock.Advance(std::chrono::milliseconds(1));
  ASSERT_TRUE(clock.AwaitWaiters(1)) << "the loop did not wait again after its upload poll";
  loop.Stop();
  EXPECT_EQ(loop.passes(), 1);
  EXPECT_EQ(hub->reports().size(), 1u);
  ASSERT_FALSE(hub->sent().empty()) << "the poll between passes saw the wanted upload";
  EXPECT_EQ(hub->sent()[0].id, 3);
  EXPECT_FALSE(hub->sent()[0].reason.empty());
}

}  // namespace
}  // namespace certfleet::agent::discovery
