#include "common/local_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace certfleet {
namespace {

namespace fs = std::filesystem;

class LocalFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("certfleet-local-file-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "a.pem") << "hello";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const char* name) const { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(LocalFileTest, ReadsARegularFileAndFollowsLinks) {
  fs::create_symlink(dir_ / "a.pem", dir_ / "link.pem");
  EXPECT_EQ(ReadLocalFile(Path("a.pem"), 100).value(), "hello");
  EXPECT_EQ(ReadLocalFile(Path("link.pem"), 100).value(), "hello");
  EXPECT_TRUE(CheckReadable(Path("link.pem")));
}

TEST_F(LocalFileTest, TellsMissingFromALinkToNothing) {
  fs::create_symlink(dir_ / "archive/cert3.pem", dir_ / "dangling.pem");
  const auto missing = ReadLocalFile(Path("none.pem"), 100);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, Path("none.pem") + " does not exist");
  const auto dangling = CheckReadable(Path("dangling.pem"));
  EXPECT_EQ(dangling.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(dangling.error().message, Path("dangling.pem") + " is a link to " +
                                          (dir_ / "archive/cert3.pem").string() +
                                          ", which does not exist");
}

TEST_F(LocalFileTest, RefusesDirectoriesAndHugeFiles) {
  EXPECT_EQ(ReadLocalFile(dir_.string(), 100).error().code, ErrorCode::kInvalidArgument);
  const auto big = ReadLocalFile(Path("a.pem"), 4);
  EXPECT_EQ(big.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(big.error().message.find("larger than 4 bytes"), std::string::npos);
}

}  // namespace
}  // namespace certfleet
