// The transaction guards end their transaction on every exit path (review 2026-12-06, F1:
// an exception inside a write left the writer in its transaction for good).
#include "store/sqlite/transaction.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

namespace certfleet::store::sqlite {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("certfleet_tx_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    std::filesystem::remove(path_);
    auto conn = Connection::Open(path_.string(), std::chrono::milliseconds(100));
    ASSERT_TRUE(conn) << conn.error().message;
    conn_ = std::move(*conn);
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (v INTEGER)", "creating"));
  }
  void TearDown() override {
    conn_.reset();
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_.string() + suffix);
  }
  std::int64_t Rows() {
    auto stmt = conn_->Prepare("SELECT COUNT(*) FROM t");
    EXPECT_TRUE(stmt);
    EXPECT_TRUE(stmt->Step().value_or(false));
    return stmt->Int(0);
  }

  std::filesystem::path path_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(TransactionTest, CommittedWriteStays) {
  {
    WriteTransaction tx(*conn_);
    ASSERT_TRUE(tx.Begin());
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)", "inserting"));
    ASSERT_TRUE(tx.Commit());
  }
  EXPECT_FALSE(conn_->InTransaction());
  EXPECT_EQ(Rows(), 1);
}

TEST_F(TransactionTest, WriteLeftWithoutCommitIsRolledBack) {
  {
    WriteTransaction tx(*conn_);
    ASSERT_TRUE(tx.Begin());
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)", "inserting"));
  }
  EXPECT_FALSE(conn_->InTransaction());
  EXPECT_EQ(Rows(), 0);
}

TEST_F(TransactionTest, ThrowInsideAWriteRollsBackAndTheNextWriteBegins) {
  try {
    WriteTransaction tx(*conn_);
    ASSERT_TRUE(tx.Begin());
    ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)", "inserting"));
    throw std::runtime_error("type_error.316 from a JSON dump");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(conn_->InTransaction()) << "the writer was left inside the transaction";
  EXPECT_EQ(Rows(), 0);
  WriteTransaction next(*conn_);
  EXPECT_TRUE(next.Begin()) << "a later write could not start";
}

TEST_F(TransactionTest, BeginHealsAConnectionLeftInsideATransaction) {
  ASSERT_TRUE(conn_->Exec("BEGIN IMMEDIATE", "a stray begin"));
  ASSERT_TRUE(conn_->Exec("INSERT INTO t VALUES (1)", "inserting"));
  WriteTransaction tx(*conn_);
  auto begun = tx.Begin();
  ASSERT_TRUE(begun) << begun.error().message;
  ASSERT_TRUE(tx.Commit());
  EXPECT_EQ(Rows(), 0) << "the stray transaction's work must not be committed";
}

TEST_F(TransactionTest, ReadTransactionEndsOnThrow) {
  try {
    ReadTransaction tx(*conn_);
    ASSERT_TRUE(tx.Begin());
    EXPECT_TRUE(conn_->InTransaction());
    throw std::runtime_error("reader threw");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(conn_->InTransaction()) << "the reader went back to the pool inside a transaction";
}

}  // namespace
}  // namespace certfleet::store::sqlite
