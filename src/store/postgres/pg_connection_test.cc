// The ":name" → "$k" rewrite that lets the SQL store's statements run on PostgreSQL.
#include "store/postgres/pg_connection.h"

#include <gtest/gtest.h>

namespace certfleet::store::postgres {
namespace {

TEST(RewriteParameters, NamesBecomeNumberedInFirstUseOrder) {
  auto [sql, names] = RewriteParameters("UPDATE t SET a = :a, b = :b WHERE id = :id AND a <> :a");
  EXPECT_EQ(sql, "UPDATE t SET a = $1, b = $2 WHERE id = $3 AND a <> $1");
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "id"}));
}

TEST(RewriteParameters, StringLiteralsAndCastsAreLeftAlone) {
  auto [sql, names] = RewriteParameters(
      "SELECT ':not', x::text FROM t WHERE name LIKE :p ESCAPE '\\' AND y = 'a''b:c'");
  EXPECT_EQ(sql, "SELECT ':not', x::text FROM t WHERE name LIKE $1 ESCAPE '\\' AND y = 'a''b:c'");
  EXPECT_EQ(names, (std::vector<std::string>{"p"}));
}

TEST(RewriteParameters, SqlWithoutParametersIsUnchanged) {
  auto [sql, names] = RewriteParameters("SELECT COALESCE(MAX(revision), 0) FROM events");
  EXPECT_EQ(sql, "SELECT COALESCE(MAX(revision), 0) FROM events");
  EXPECT_TRUE(names.empty());
}

}  // namespace
}  // namespace certfleet::store::postgres
