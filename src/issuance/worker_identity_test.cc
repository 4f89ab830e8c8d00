#include "issuance/worker_identity.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "common/atomic_file.h"
#include "harness/temp_dir.h"

namespace certfleet::issuance {
namespace {

TEST(WorkerIdentity, FirstStartCreatesAPrivateIdFile) {
  harness::TempDir dir("worker-id");
  auto identity = WorkerIdentity::Acquire(dir.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_EQ(identity->id().size(), 18u) << identity->id();
  EXPECT_EQ(identity->id().rfind("w-", 0), 0u) << identity->id();
  EXPECT_EQ(ReadFile(dir / "worker.id").value(), identity->id() + "\n");
  struct stat info {};
  ASSERT_EQ(::stat((dir / "worker.id").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "worker.id should be private to the hub's user";
}

// The point of the file: a restarted hub re-takes the leases of its previous run.
TEST(WorkerIdentity, RestartOnTheSameDataDirGetsTheSameId) {
  harness::TempDir dir("worker-id");
  std::string first;
  {
    auto identity = WorkerIdentity::Acquire(dir.path());
    ASSERT_TRUE(identity) << identity.error().message;
    first = identity->id();
  }
  auto again = WorkerIdentity::Acquire(dir.path());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->id(), first)
      << "a restart must keep the worker id, or it waits for its own leases";
}

TEST(WorkerIdentity, OtherDataDirsGetOtherIds) {
  harness::TempDir a("worker-id");
  harness::TempDir b("worker-id");
  auto id_a = WorkerIdentity::Acquire(a.path());
  auto id_b = WorkerIdentity::Acquire(b.path());
  ASSERT_TRUE(id_a && id_b);
  EXPECT_NE(id_a->id(), id_b->id()) << "two hubs on one database would take each other's orders";
}

// Two live hubs sharing an id would resume each other's running orders.
TEST(WorkerIdentity, SecondHolderIsRefusedWhileTheFirstLives) {
  harness::TempDir dir("worker-id");
  auto first = WorkerIdentity::Acquire(dir.path());
  ASSERT_TRUE(first) << first.error().message;
  auto second = WorkerIdentity::Acquire(dir.path());
  ASSERT_FALSE(second) << "two live holders of one worker id";
  EXPECT_EQ(second.error().code, ErrorCode::kConflict);
  EXPECT_NE(second.error().message.find("another certfleet-hub"), std::string::npos)
      << second.error().message;
  WorkerIdentity moved = std::move(*first);  // the lock travels with the object
  EXPECT_FALSE(WorkerIdentity::Acquire(dir.path())) << "moving the identity released the lock";
}

TEST(WorkerIdentity, DamagedFileIsReplacedByAFreshId) {
  harness::TempDir dir("worker-id");
  ASSERT_TRUE(WriteFileAtomically(dir / "worker.id", "w-12", 0600));
  auto identity = WorkerIdentity::Acquire(dir.path());
  ASSERT_TRUE(identity) << identity.error().message;
  EXPECT_NE(identity->id(), "w-12");
  EXPECT_EQ(identity->id().size(), 18u) << identity->id();
}

TEST(WorkerIdentity, MissingDataDirIsAnIoErrorNamingTheFile) {
  harness::TempDir dir("worker-id");
  auto identity = WorkerIdentity::Acquire(dir / "missing");
  ASSERT_FALSE(identity);
  EXPECT_EQ(identity.error().code, ErrorCode::kIo);
  EXPECT_NE(identity.error().message.find("worker.id"), std::string::npos)
      << identity.error().message;
}

}  // namespace
}  // namespace certfleet::issuance
