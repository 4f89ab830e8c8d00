#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

namespace certfleet {
namespace {

namespace fs = std::filesystem;

class AtomicFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("certfleet-atomic-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  size_t EntryCount() const {
    return static_cast<size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

TEST_F(AtomicFileTest, WritesContentWithTheRequestedModeDespiteTheUmask) {
  const mode_t old = ::umask(0);
  ASSERT_TRUE(WriteFileAtomically(dir_ / "key.pem", "secret", 0600));
  ::umask(old);
  EXPECT_EQ(ReadFile(dir_ / "key.pem").value(), "secret");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a private key must not be readable by others";
}

TEST_F(AtomicFileTest, ReplacesAnExistingFileAndLeavesNoTemporaryBehind) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "cert.pem", "old"));
  ASSERT_TRUE(WriteFileAtomically(dir_ / "cert.pem", "new"));
  EXPECT_EQ(ReadFile(dir_ / "cert.pem").value(), "new");
  EXPECT_EQ(EntryCount(), 1u);
}

TEST_F(AtomicFileTest, FailsClearlyWhenTheDirectoryIsMissing) {
  auto status = WriteFileAtomically(dir_ / "missing" / "x", "data");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_NE(status.error().message.find("missing"), std::string::npos) << status.error().message;
}

TEST_F(AtomicFileTest, WriteFilesRejectsABadNameWithoutTouchingAnything) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "a.pem", "old"));
  auto status = WriteFilesAtomically(dir_, {{"a.pem", "new", 0644}, {"../b.pem", "x", 0644}});
  ASSERT_FALSE(status);
  EXPECT_EQ(ReadFile(dir_ / "a.pem").value(), "old");
  EXPECT_EQ(EntryCount(), 1u) << "temporary files must be removed after a failure";
}

TEST_F(AtomicFileTest, WriteFilesWritesAllFiles) {
  ASSERT_TRUE(WriteFilesAtomically(dir_, {{"cert.pem", "c", 0644}, {"privkey.pem", "k", 0600}}));
  EXPECT_EQ(ReadFile(dir_ / "cert.pem").value(), "c");
  EXPECT_EQ(ReadFile(dir_ / "privkey.pem").value(), "k");
}

TEST_F(AtomicFileTest, DeferredSyncStillWritesWholeFilesWithTheirModes) {
  ASSERT_TRUE(WriteFilesAtomically(dir_, {{"cert.pem", "old", 0644}}));
  ASSERT_TRUE(WriteFilesAtomically(dir_, {{"cert.pem", "c", 0644}, {"privkey.pem", "k", 0600}},
                                   FileSync::kDeferred));
  ASSERT_TRUE(SyncFileSystem(dir_));
  EXPECT_EQ(ReadFile(dir_ / "cert.pem").value(), "c");
  EXPECT_EQ(ReadFile(dir_ / "privkey.pem").value(), "k");
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "privkey.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "a private key must not be readable by others";
  EXPECT_EQ(EntryCount(), 2u) << "no temporary file may be left behind";
  EXPECT_FALSE(SyncFileSystem(dir_ / "missing")) << "a missing folder must be an error";
}

ino_t Inode(const fs::path& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

TEST_F(AtomicFileTest, RewriteStagingFileReusesAFileNoOtherNameShares) {
  const fs::path file = dir_ / "next.pem";
  ASSERT_TRUE(RewriteStagingFile(file, "a longer first version\n", 0644));
  const ino_t first = Inode(file);
  ASSERT_TRUE(RewriteStagingFile(file, "second\n", 0600));
  EXPECT_EQ(Inode(file), first) << "an unshared staging file is written over, not replaced";
  EXPECT_EQ(ReadFile(file).value(), "second\n") << "the old, longer tail must be cut";
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u) << "the requested mode replaces the old one";
}

TEST_F(AtomicFileTest, RewriteStagingFileNeverWritesThroughAnotherLinkOrASymlink) {
  const fs::path file = dir_ / "next.pem";
  const fs::path served = dir_ / "live.pem";  // what a reader may be using
  ASSERT_TRUE(RewriteStagingFile(file, "served version\n", 0644));
  ASSERT_EQ(::link(file.c_str(), served.c_str()), 0);
  ASSERT_TRUE(RewriteStagingFile(file, "new version\n", 0644, kKeepGroup, FileSync::kEach));
  EXPECT_EQ(ReadFile(served).value(), "served version\n")
      << "a file shared with another name must never change under it";
  EXPECT_EQ(ReadFile(file).value(), "new version\n");
  EXPECT_NE(Inode(file), Inode(served));

  const fs::path target = dir_ / "elsewhere.pem";
  ASSERT_TRUE(WriteFileAtomically(target, "not ours to write\n"));
  const fs::path link = dir_ / "staged.pem";
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(RewriteStagingFile(link, "staged\n", 0600));
  EXPECT_EQ(ReadFile(target).value(), "not ours to write\n") << "a symlink is never followed";
  EXPECT_EQ(ReadFile(link).value(), "staged\n");
  EXPECT_FALSE(fs::is_symlink(link));
}

TEST_F(AtomicFileTest, ExchangeNamesSwapsTwoNamesAndSaysWhenItCannot) {
  ASSERT_TRUE(WriteFileAtomically(dir_ / "a", "A"));
  ASSERT_TRUE(WriteFileAtomically(dir_ / "b", "B"));
  auto swapped = ExchangeNames(dir_ / "a", dir_ / "b");
  ASSERT_TRUE(swapped) << swapped.error().message;
  ASSERT_TRUE(*swapped) << "ext4 and tmpfs support RENAME_EXCHANGE";
  EXPECT_EQ(ReadFile(dir_ / "a").value(), "B");
  EXPECT_EQ(ReadFile(dir_ / "b").value(), "A");
  auto missing = ExchangeNames(dir_ / "a", dir_ / "absent");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing) << "a missing name: the caller renames instead";
  EXPECT_EQ(ReadFile(dir_ / "a").value(), "B") << "nothing moved";
}

TEST_F(AtomicFileTest, ReadFileReportsMissingAndOversizedFiles) {
  EXPECT_EQ(ReadFile(dir_ / "nope").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(WriteFileAtomically(dir_ / "big", std::string(100, 'x')));
  EXPECT_EQ(ReadFile(dir_ / "big", 10).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace certfleet
