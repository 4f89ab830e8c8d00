#include "agent/cert_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <set>

#include "agent/testing/agent_test_util.h"
#include "common/atomic_file.h"
#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;
using testing::MakeCertificate;
using testing::TestCertificate;

class CertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.Repair()); }

  Status Install(const TestCertificate& c) {
    return store_.Install(c.desired.domain, c.files, {c.desired.sha256, c.desired.certificate_id});
  }
  // The live pair of `domain` is consistent and is certificate `c`.
  ::testing::AssertionResult LiveIs(const TestCertificate& c) {
    auto live = store_.ReadLive(c.desired.domain);
    if (!live) return ::testing::AssertionFailure() << live.error().message;
    if (auto s = CheckPemFiles(*live, c.desired.sha256); !s) {
      return ::testing::AssertionFailure() << s.error().message;
    }
    return ::testing::AssertionSuccess();
  }

  crypto::testing::TestCa ca_ = crypto::testing::TestCa::Create().value();
  harness::TempDir dir_{"agent-store"};
  CertStore store_{dir_.path()};
};

TEST_F(CertStoreTest, InstallWritesCertbotLayoutWithAPrivateKey0600) {
  auto c = MakeCertificate(ca_, "shop.example.com", 1);
  ASSERT_TRUE(Install(c));
  const fs::path live = dir_.path() / "live" / "shop.example.com";
  for (const char* name : {"cert.pem", "chain.pem", "fullchain.pem", "privkey.pem"}) {
    EXPECT_TRUE(fs::exists(live / name)) << name << " missing from " << live;
  }
  struct stat st {};
  ASSERT_EQ(::stat((live / "privkey.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the private key must be readable by its owner only";
  EXPECT_TRUE(LiveIs(c));
  auto inventory = store_.ReadInventory();
  ASSERT_TRUE(inventory);
  EXPECT_EQ((*inventory)["shop.example.com"].sha256, c.desired.sha256);
}

TEST_F(CertStoreTest, RollbackRestoresTheVersionAnInstallReplaced) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(Install(v2));
  EXPECT_TRUE(LiveIs(v2));
  auto rolled = store_.Rollback("shop.example.com");
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(LiveIs(v1)) << "rollback must put the previous certificate and key back";
  EXPECT_EQ(store_.ReadInventory()->at("shop.example.com").sha256, v1.desired.sha256);
}

std::set<ino_t> Inodes(const fs::path& dir) {
  std::set<ino_t> inodes;
  for (const auto& entry : fs::directory_iterator(dir)) {
    struct stat st {};
    if (::lstat(entry.path().c_str(), &st) == 0) inodes.insert(st.st_ino);
  }
  return inodes;
}

// Steady renewals reuse the two versions' files of archive/ (no inode allocated or freed per
// install), yet a file live/ serves is never written over: a reader that opened it before an
// install reads the same bytes after it, and rollback still finds the version before.
TEST_F(CertStoreTest, RenewalsCycleTheArchivesFilesButNeverChangeAServedOne) {
  const std::string domain = "shop.example.com";
  const fs::path archive = dir_.path() / "archive" / domain;
  const fs::path live = dir_.path() / "live" / domain;
  std::set<ino_t> after_second;
  std::vector<TestCertificate> versions;
  for (int version = 1; version <= 6; ++version) {
    versions.push_back(MakeCertificate(ca_, domain, version));
    const TestCertificate& c = versions.back();
    const int served_key = ::open((live / "privkey.pem").c_str(), O_RDONLY);
    const std::string served_before = version > 1 ? ReadFile(live / "privkey.pem").value() : "";
    ASSERT_TRUE(Install(c));
    ASSERT_TRUE(LiveIs(c));
    if (served_key >= 0) {
      std::string after(served_before.size(), '\0');
      ASSERT_EQ(::pread(served_key, after.data(), after.size(), 0),
                static_cast<ssize_t>(after.size()));
      ::close(served_key);
      EXPECT_EQ(after, served_before) << "install " << version << " wrote over a served key";
    }
    std::set<ino_t> inodes = Inodes(archive / "next");
    inodes.merge(Inodes(archive / "previous"));
    if (version == 2) after_second = inodes;
    if (version > 2) {
      EXPECT_EQ(inodes, after_second) << "install " << version << " allocated new files";
    }
  }
  auto rolled = store_.Rollback(domain);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(LiveIs(versions[4])) << "the version before is kept intact";
  // After a rollback previous/ and live/ hold the same version and next/ shares live/'s
  // files: the next install must write new files, not over those.
  const std::string served = ReadFile(live / "privkey.pem").value();
  const int served_key = ::open((live / "privkey.pem").c_str(), O_RDONLY);
  ASSERT_GE(served_key, 0);
  auto v7 = MakeCertificate(ca_, domain, 7);
  ASSERT_TRUE(Install(v7));
  EXPECT_TRUE(LiveIs(v7));
  std::string after(served.size(), '\0');
  ASSERT_EQ(::pread(served_key, after.data(), after.size(), 0), static_cast<ssize_t>(after.size()));
  ::close(served_key);
  EXPECT_EQ(after, served) << "the install after a rollback wrote over the served key";
}

TEST_F(CertStoreTest, AnInstallDoesNotKeepALiveLeafChangedBehindOurBack) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto other = MakeCertificate(ca_, "shop.example.com", 9);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(
      WriteFileAtomically(store_.LiveDir("shop.example.com") / "cert.pem", other.files.cert));
  ASSERT_TRUE(Install(v2));
  ASSERT_TRUE(store_.Rollback("shop.example.com"));
  EXPECT_FALSE(fs::exists(store_.LiveDir("shop.example.com")))
      << "a live leaf that is not the manifest's must not become the rollback target";
}

TEST_F(CertStoreTest, RollbackRefusesAKeptVersionWhoseKeyNoLongerMatches) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto other = MakeCertificate(ca_, "shop.example.com", 9);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  // Only the leaf's hash is compared when the version is kept; Rollback checks the pair.
  ASSERT_TRUE(WriteFileAtomically(store_.LiveDir("shop.example.com") / "privkey.pem",
                                  other.files.privkey, 0600));
  ASSERT_TRUE(Install(v2));
  auto rolled = store_.Rollback("shop.example.com");
  ASSERT_FALSE(rolled) << "a previous version with a foreign key must not be put back";
  EXPECT_EQ(rolled.error().code, ErrorCode::kCorrupt) << rolled.error().message;
  EXPECT_TRUE(LiveIs(v2)) << "a refused rollback must leave the installed pair alone";
}

TEST_F(CertStoreTest, RollbackOfAFirstInstallRemovesTheDomain) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(store_.Rollback("shop.example.com"));
  EXPECT_FALSE(fs::exists(store_.LiveDir("shop.example.com"))) << "nothing was there before";
  EXPECT_TRUE(store_.ReadInventory()->empty());
}

TEST_F(CertStoreTest, RepairRollsForwardAnInstallInterruptedBetweenRenames) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  // Replay Install(v2) up to a crash after the first of the live renames.
  const fs::path archive = store_.ArchiveDir("shop.example.com");
  auto files_of = [](const PemFiles& f) {
    return std::vector<FileToWrite>{{"cert.pem", f.cert},
                                    {"chain.pem", f.chain},
                                    {"fullchain.pem", f.fullchain},
                                    {"privkey.pem", f.privkey, 0600}};
  };
  ASSERT_TRUE(WriteFilesAtomically(archive / "previous", files_of(v1.files)));
  ASSERT_TRUE(WriteFilesAtomically(archive / "next", files_of(v2.files)));
  ASSERT_TRUE(
      WriteManifest(archive / "manifest.json", {"shop.example.com",
                                                Manifest::State::kInstalling,
                                                {v2.desired.sha256, 2},
                                                InstalledCertificate{v1.desired.sha256, 1}}));
  ASSERT_TRUE(WriteFileAtomically(store_.LiveDir("shop.example.com") / "cert.pem", v2.files.cert));
  ASSERT_FALSE(LiveIs(v2)) << "the test must start from a mismatched pair";
  auto repaired = store_.Repair();
  ASSERT_TRUE(repaired) << repaired.error().message;
  EXPECT_EQ(repaired->size(), 1u);
  EXPECT_TRUE(LiveIs(v2)) << "repair must finish the interrupted install";
  ASSERT_TRUE(store_.Rollback("shop.example.com"));
  EXPECT_TRUE(LiveIs(v1)) << "the version before the crash stays available for rollback";
}

TEST_F(CertStoreTest, RepairDeletesTemporaryFilesOfAKilledWrite) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  ASSERT_TRUE(Install(v1));
  const fs::path stray = store_.LiveDir("shop.example.com") / "privkey.pem.tmp-123-456";
  dir_.WriteFile("live/shop.example.com/privkey.pem.tmp-123-456", "partial");
  ASSERT_TRUE(store_.Repair());
  EXPECT_FALSE(fs::exists(stray)) << "leftover temporary files must be cleaned up";
  EXPECT_TRUE(LiveIs(v1));
}

TEST_F(CertStoreTest, InventoryShowsFilesChangedBehindOurBackAsUnknown) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto other = MakeCertificate(ca_, "shop.example.com", 9);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(
      WriteFileAtomically(store_.LiveDir("shop.example.com") / "cert.pem", other.files.cert));
  EXPECT_EQ(store_.ReadInventory()->at("shop.example.com").sha256, "")
      << "a cert.pem that is not the manifest's must make the reconciler rewrite it";
}

TEST_F(CertStoreTest, RemoveDeletesLiveAndArchive) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(store_.Remove("shop.example.com"));
  EXPECT_FALSE(fs::exists(store_.LiveDir("shop.example.com")));
  EXPECT_FALSE(fs::exists(store_.ArchiveDir("shop.example.com")));
}

TEST_F(CertStoreTest, RefusesToBuildPathsFromInvalidNames) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  for (const std::string bad : {"../escape", "a/b", "UPPER.example.com", ""}) {
    auto s = store_.Install(bad, v1.files, {v1.desired.sha256, 1});
    ASSERT_FALSE(s) << "\"" << bad << "\" must not become a path";
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(fs::exists(dir_.path() / "escape"));
}

TEST_F(CertStoreTest, WildcardDomainsGetAShellFriendlyFolder) {
  auto c = MakeCertificate(ca_, "*.example.com", 1);
  ASSERT_TRUE(Install(c));
  EXPECT_TRUE(fs::exists(dir_.path() / "live" / "_wildcard.example.com" / "fullchain.pem"));
  EXPECT_EQ(store_.ReadInventory()->count("*.example.com"), 1u);
}

TEST_F(CertStoreTest, AVisibleInstallCountsAsInstalledOnlyAfterCommit) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(store_.Install("shop.example.com", v2.files, {v2.desired.sha256, 2},
                             CertStore::Durability::kVisible));
  EXPECT_TRUE(LiveIs(v2)) << "a visible install must leave the new pair in live/ for the reload";
  auto before = store_.ReadInventory();
  ASSERT_TRUE(before);
  EXPECT_EQ((*before)["shop.example.com"].sha256, "") << "not installed until Commit";
  ASSERT_TRUE(store_.Commit("shop.example.com"));
  auto after = store_.ReadInventory();
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["shop.example.com"].sha256, v2.desired.sha256)
      << "Commit must mark the install done";
  EXPECT_TRUE(store_.Commit("shop.example.com")) << "Commit of a committed install is a no-op";
}

TEST_F(CertStoreTest, RepairRollsAnUncommittedInstallForward) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(store_.Install("shop.example.com", v2.files, {v2.desired.sha256, 2},
                             CertStore::Durability::kVisible));
  // The agent dies before Commit; the next one repairs on start.
  CertStore restarted(dir_.path());
  auto repaired = restarted.Repair();
  ASSERT_TRUE(repaired) << repaired.error().message;
  EXPECT_EQ(repaired->size(), 1u) << "the uncommitted install must be finished by Repair";
  EXPECT_TRUE(LiveIs(v2));
  auto inventory = restarted.ReadInventory();
  ASSERT_TRUE(inventory);
  EXPECT_EQ((*inventory)["shop.example.com"].sha256, v2.desired.sha256);
}

TEST_F(CertStoreTest, RollbackOfAnUncommittedInstallRestoresThePreviousVersion) {
  auto v1 = MakeCertificate(ca_, "shop.example.com", 1);
  auto v2 = MakeCertificate(ca_, "shop.example.com", 2);
  ASSERT_TRUE(Install(v1));
  ASSERT_TRUE(store_.Install("shop.example.com", v2.files, {v2.desired.sha256, 2},
                             CertStore::Durability::kVisible));
  ASSERT_TRUE(store_.Rollback("shop.example.com"));
  EXPECT_TRUE(LiveIs(v1)) << "a failed test command rolls back an install that was never committed";
  auto inventory = store_.ReadInventory();
  ASSERT_TRUE(inventory);
  EXPECT_EQ((*inventory)["shop.example.com"].sha256, v1.desired.sha256);
}

}  // namespace
}  // namespace certfleet::agent
