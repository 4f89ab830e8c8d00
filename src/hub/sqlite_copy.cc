#include "hub/sqlite_copy.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "store/postgres/pg_open.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace certfleet::store {
namespace {

using postgres::PgConnection;

// Bookkeeping of each database, not data.
const std::set<std::string> kNotCopied = {"schema_version", "settings"};

struct Column {
  std::string name;
  std::string type;  // PostgreSQL data_type: bigint, text, bytea, ...
};

std::string Quote(const std::string& identifier) { return "\"" + identifier + "\""; }

template <typename T, typename Reader>
Result<std::vector<T>> Rows(sql::Connection& conn, const std::string& query, Reader reader,
                            const std::string& table = "") {
  auto stmt = conn.Prepare(query);
  if (!stmt) return Fail(stmt.error());
  if (!table.empty()) stmt->BindText(":t", table);
  std::vector<T> out;
  while (true) {
    auto row = stmt->Step();
    if (!row) return Fail(row.error());
    if (!*row) return out;
    out.push_back(reader(*stmt));
  }
}

Result<std::int64_t> Count(sql::Connection& conn, const std::string& table) {
  auto counts = Rows<std::int64_t>(conn, "SELECT COUNT(*) FROM " + Quote(table),
                                   [](const sql::Statement& s) { return s.Int(0); });
  if (!counts) return Fail(counts.error());
  return counts->empty() ? 0 : counts->front();
}

// The PostgreSQL tables to copy, parents before children (foreign keys), else by name.
Result<std::vector<std::string>> TablesInOrder(PgConnection& pg) {
  auto tables = Rows<std::string>(
      pg,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
      "AND table_type = 'BASE TABLE' ORDER BY table_name",
      [](const sql::Statement& s) { return s.Text(0); });
  if (!tables) return Fail(tables.error());
  auto edges = Rows<std::pair<std::string, std::string>>(
      pg,
      "SELECT c.relname, p.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
      "JOIN pg_class p ON p.oid = k.confrelid WHERE k.contype = 'f' AND "
      "k.connamespace = current_schema()::regnamespace",
      [](const sql::Statement& s) { return std::make_pair(s.Text(0), s.Text(1)); });
  if (!edges) return Fail(edges.error());
  std::map<std::string, std::set<std::string>> parents;
  for (const std::string& t : *tables) {
    if (!kNotCopied.contains(t)) parents[t];
  }
  for (const auto& [child, parent] : *edges) {
    if (child != parent && parents.contains(child)) parents[child].insert(parent);
  }
  std::vector<std::string> order;
  while (!parents.empty()) {
    auto ready = std::find_if(parents.begin(), parents.end(), [&](const auto& entry) {
      return std::all_of(entry.second.begin(), entry.second.end(),
                         [&](const std::string& p) { return !parents.contains(p); });
    });
    if (ready == parents.end())
      return Fail(ErrorCode::kInternal, "the PostgreSQL schema has a foreign-key cycle");
    order.push_back(ready->first);
    parents.erase(ready);
  }
  return order;
}

Result<std::vector<Column>> ColumnsOf(PgConnection& pg, const std::string& table) {
  return Rows<Column>(
      pg,
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = :t ORDER BY ordinal_position",
      [](const sql::Statement& s) {
        return Column{s.Text(0), s.Text(1)};
      },
      table);
}

// kConflict naming the tables that hold rows: the copy never merges into data.
Status RequireEmpty(PgConnection& pg, const std::vector<std::string>& tables,
                    const std::string& where) {
  std::string filled;
  for (const std::string& table : tables) {
    auto n = Count(pg, table);
    if (!n) return Fail(n.error());
    if (*n > 0) filled += (filled.empty() ? "" : ", ") + table + " (" + std::to_string(*n) + ")";
  }
  if (filled.empty()) return Ok();
  return Fail(ErrorCode::kConflict,
              "PostgreSQL at " + where + " already holds data: " + filled +
                  "; the copy goes into an empty database only (nothing was changed) — create "
                  "a new one (CREATE DATABASE …) and copy before any hub starts on it, or "
                  "replace what is there with --overwrite");
}

// With --overwrite: nobody else may be connected, or a running hub would go on writing into
// (and reading from) the replaced rows. Our own earlier connection (the schema migration)
// may take a moment to leave pg_stat_activity after it closed, hence the short grace.
Status RequireAlone(PgConnection& pg, const std::string& where) {
  std::int64_t others = 0;
  for (int look = 0; look < 20; ++look) {
    auto n = Rows<std::int64_t>(
        pg,
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid()",
        [](const sql::Statement& s) { return s.Int(0); });
    if (!n) return Fail(n.error());
    others = n->empty() ? 0 : n->front();
    if (others == 0) return Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return Fail(ErrorCode::kConflict,
              "PostgreSQL at " + where + " has " + std::to_string(others) +
                  " other session(s) connected (hubs still running on it?): stop every hub on "
                  "it before overwriting (nothing was changed; SELECT application_name, "
                  "client_addr FROM pg_stat_activity shows who is there)");
}

// With --overwrite: every copied table emptied, identities restarted, in the copy's
// transaction.
Status EmptyTables(PgConnection& pg, const std::vector<std::string>& tables) {
  std::string list;
  for (const std::string& table : tables) list += (list.empty() ? "" : ", ") + Quote(table);
  return pg.Exec("TRUNCATE " + list + " RESTART IDENTITY", "emptying the database to overwrite");
}

// Copies one table's rows (ordered by the first column, so rows referring to earlier
// rows of the same table come after them); returns how many.
Result<std::int64_t> CopyTable(sql::Connection& from, PgConnection& to, const std::string& table,
                               const std::vector<Column>& columns) {
  std::string names, params;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += (i ? ", " : "") + Quote(columns[i].name);
    params += (i ? ", :p" : ":p") + std::to_string(i);
  }
  auto select = from.Prepare("SELECT " + names + " FROM " + Quote(table) + " ORDER BY 1");
  if (!select) return Fail(select.error().WithContext("reading " + table + " from SQLite"));
  const std::string insert_sql =
      "INSERT INTO " + Quote(table) + " (" + names + ") VALUES (" + params + ")";
  std::int64_t rows = 0;
  while (true) {
    auto row = select->Step();
    if (!row) return Fail(row.error().WithContext("reading " + table + " from SQLite"));
    if (!*row) return rows;
    auto insert = to.Prepare(insert_sql);  // one execution per Statement; cached per connection
    if (!insert) return Fail(insert.error());
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const int col = static_cast<int>(i);
      const std::string p = ":p" + std::to_string(i);
      const std::string& type = columns[i].type;
      if (select->IsNull(col)) {
        insert->BindNull(p);
      } else if (type == "bigint" || type == "integer" || type == "smallint") {
        insert->BindInt(p, select->Int(col));
      } else if (type == "bytea") {
        insert->BindBlob(p, select->Text(col));
      } else {
        insert->BindText(p, select->Text(col));
      }
    }
    if (auto s = insert->Run(); !s) {
      return Fail(
          s.error().WithContext("copying row " + std::to_string(rows + 1) + " of " + table));
    }
    ++rows;
  }
}

// Identity columns continue after the highest copied value.
Status ResetIdentities(PgConnection& pg, const std::string& table) {
  auto identities = Rows<std::string>(
      pg,
      "SELECT column_name FROM information_schema.columns WHERE table_schema = "
      "current_schema() AND table_name = :t AND is_identity = 'YES'",
      [](const sql::Statement& s) { return s.Text(0); }, table);
  if (!identities) return Fail(identities.error());
  for (const std::string& column : *identities) {
    if (auto s = pg.Exec("SELECT setval(pg_get_serial_sequence('" + Quote(table) + "', '" + column +
                             "'), (SELECT COALESCE(MAX(" + Quote(column) + "), 0) + 1 " + "FROM " +
                             Quote(table) + "), false)",
                         "resetting the identity of " + table);
        !s) {
      return s;
    }
  }
  return Ok();
}

// Every table of the copy must exist in SQLite with every column.
Status CheckSqliteHas(sql::Connection& sqlite, const std::string& table,
                      const std::vector<Column>& columns) {
  auto present = Rows<std::string>(
      sqlite, "SELECT name FROM pragma_table_info(:t)",
      [](const sql::Statement& s) { return s.Text(0); }, table);
  if (!present) return Fail(present.error());
  const std::set<std::string> names(present->begin(), present->end());
  for (const Column& c : columns) {
    if (!names.contains(c.name)) {
      return Fail(ErrorCode::kInternal, "SQLite table " + table + " has no column " + c.name +
                                            " (the two schemas differ: a certfleet bug)");
    }
  }
  return Ok();
}

Result<std::vector<CopiedTable>> CopyAll(sql::Connection& sqlite, PgConnection& pg,
                                         const std::vector<std::string>& tables) {
  std::vector<CopiedTable> copied;
  for (const std::string& table : tables) {
    auto columns = ColumnsOf(pg, table);
    if (!columns) return Fail(columns.error());
    if (auto s = CheckSqliteHas(sqlite, table, *columns); !s) return Fail(s.error());
    auto rows = CopyTable(sqlite, pg, table, *columns);
    if (!rows) return Fail(rows.error());
    if (auto s = ResetIdentities(pg, table); !s) return Fail(s.error());
    copied.push_back({table, *rows});
  }
  return copied;
}

// Compares each table's count on both sides after the commit.
Status Verify(sql::Connection& sqlite, PgConnection& pg, const std::vector<CopiedTable>& copied) {
  for (const CopiedTable& t : copied) {
    auto in_sqlite = Count(sqlite, t.table);
    if (!in_sqlite) return Fail(in_sqlite.error());
    auto in_pg = Count(pg, t.table);
    if (!in_pg) return Fail(in_pg.error());
    if (*in_sqlite != t.rows || *in_pg != t.rows) {
      return Fail(ErrorCode::kCorrupt, "after the copy, table " + t.table + " has " +
                                           std::to_string(*in_pg) + " rows in PostgreSQL and " +
                                           std::to_string(*in_sqlite) + " in SQLite");
    }
  }
  return Ok();
}

}  // namespace

Result<std::vector<CopiedTable>> CopySqliteIntoPostgres(const std::string& sqlite_path,
                                                        const PostgresOptions& target,
                                                        CopyOptions options) {
  if (!std::filesystem::is_regular_file(sqlite_path))
    return Fail(ErrorCode::kNotFound, "no SQLite database at " + sqlite_path);
  {
    // Brings the file to this binary's schema, as the hub would on its start.
    auto opened = OpenSqliteStore({.path = sqlite_path, .reader_connections = 1});
    if (!opened) return Fail(opened.error().WithContext("SQLite " + sqlite_path));
  }
  auto schema = MigratePostgresSchema(target);
  if (!schema) return Fail(schema.error());
  const std::string where = DescribePostgresUrl(target.url);
  auto pg = PgConnection::Open(postgres::ParamsFor(target));
  if (!pg) return Fail(postgres::ConnectError(pg.error(), where));
  auto sqlite = sqlite::Connection::Open(sqlite_path, std::chrono::seconds(5));
  if (!sqlite) return Fail(sqlite.error().WithContext("SQLite " + sqlite_path));

  auto tables = TablesInOrder(**pg);
  if (!tables) return Fail(tables.error());
  if (auto s = (*pg)->Exec("BEGIN ISOLATION LEVEL SERIALIZABLE", "BEGIN"); !s)
    return Fail(s.error());
  auto done = [&]() -> Result<std::vector<CopiedTable>> {
    // Under the migration lock's sibling: a hub starting now waits for the COMMIT.
    if (auto s = (*pg)->Exec("LOCK TABLE settings IN EXCLUSIVE MODE", "locking the database"); !s) {
      return Fail(s.error());
    }
    if (options.overwrite) {
      if (auto s = RequireAlone(**pg, where); !s) return Fail(s.error());
      if (auto s = EmptyTables(**pg, *tables); !s) return Fail(s.error());
    } else if (auto s = RequireEmpty(**pg, *tables, where); !s) {
      return Fail(s.error());
    }
    if (auto s = (*sqlite)->Exec("BEGIN", "BEGIN"); !s) return Fail(s.error());
    auto copied = CopyAll(**sqlite, **pg, *tables);
    (void)(*sqlite)->Exec("COMMIT", "COMMIT");
    return copied;
  }();
  if (!done) {
    (void)(*pg)->Exec("ROLLBACK", "ROLLBACK");
    return Fail(done.error().WithContext("copying " + sqlite_path + " into " + where));
  }
  if (auto s = (*pg)->Exec("COMMIT", "COMMIT"); !s)
    return Fail(s.error().WithContext("copying " + sqlite_path + " into " + where));
  if (auto s = Verify(**sqlite, **pg, *done); !s) return Fail(s.error());
  return done;
}

}  // namespace certfleet::store
