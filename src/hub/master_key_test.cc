#include "hub/master_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "common/atomic_file.h"

namespace certfleet::hub {
namespace {

class MasterKeyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/certfleet-master-key-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
};

TEST_F(MasterKeyTest, FirstStartCreates32BytesWithMode0600) {
  ASSERT_TRUE(LoadOrCreateMasterKey(dir_));
  struct stat info {};
  ASSERT_EQ(::stat((dir_ / "master.key").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "the master key must be private to its owner";
  EXPECT_EQ(info.st_size, 32);
}

TEST_F(MasterKeyTest, SecondStartLoadsTheSameKey) {
  auto first = LoadOrCreateMasterKey(dir_);
  ASSERT_TRUE(first);
  const std::string sealed = first->Seal("private key", "domain:a.test");
  auto second = LoadOrCreateMasterKey(dir_);
  ASSERT_TRUE(second);
  auto opened = second->Open(sealed, "domain:a.test");
  ASSERT_TRUE(opened) << "a restarted hub must open keys sealed before: " << opened.error().message;
  EXPECT_EQ(opened->str(), "private key");
}

TEST_F(MasterKeyTest, RefusesALooserMode) {
  ASSERT_TRUE(LoadOrCreateMasterKey(dir_));
  ASSERT_EQ(::chmod((dir_ / "master.key").c_str(), 0644), 0);
  auto key = LoadOrCreateMasterKey(dir_);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(key.error().message.find("has mode 0644"), std::string::npos) << key.error().message;
  EXPECT_NE(key.error().message.find("chmod 600"), std::string::npos) << key.error().message;
}

TEST_F(MasterKeyTest, RefusesAWrongSize) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "master.key", "short", 0600));
  auto key = LoadOrCreateMasterKey(dir_);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(key.error().message.find("holds 5 bytes, expected 32"), std::string::npos)
      << key.error().message;
}

}  // namespace
}  // namespace certfleet::hub
