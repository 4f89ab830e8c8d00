#include "store/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <cctype>
#include <cstdlib>
#include <optional>

#include "common/utf8.h"

namespace certfleet::store::postgres {
namespace {

constexpr Oid kByteaOid = 17;

std::string Trimmed(const char* text) {
  std::string s = text != nullptr ? text : "";
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// One execution of a prepared statement; rows are read from its result.
class PgStatement final : public sql::StatementBackend {
 public:
  PgStatement(PgConnection& conn, const std::string& name, const std::vector<std::string>& params)
      : conn_(conn),
        name_(name),
        names_(params),
        values_(params.size()),
        binary_(params.size(), 0) {}
  ~PgStatement() override {
    if (result_ != nullptr) PQclear(result_);
  }

  void BindInt(std::string_view name, std::int64_t value) override {
    Set(name, std::to_string(value), false);
  }
  void BindText(std::string_view name, std::string_view value) override {
    // PostgreSQL refuses invalid UTF-8; store it with U+FFFD like the SQLite driver.
    Set(name, IsValidUtf8(value) ? std::string(value) : ToValidUtf8(value), false);
  }
  void BindBlob(std::string_view name, std::string_view bytes) override {
    Set(name, std::string(bytes), true);
  }
  void BindNull(std::string_view name) override {
    name = Bare(name);
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) values_[i].reset();
    }
    Check(name);
  }

  Result<bool> Step() override {
    if (bind_error_) return Fail(*bind_error_);
    if (result_ == nullptr) {
      if (auto s = Execute(); !s) return Fail(s.error());
      row_ = -1;
    }
    ++row_;
    return row_ < PQntuples(result_);
  }

  bool IsNull(int col) const override { return PQgetisnull(result_, row_, col) != 0; }
  std::int64_t Int(int col) const override {
    return IsNull(col) ? 0 : std::strtoll(PQgetvalue(result_, row_, col), nullptr, 10);
  }
  std::string Text(int col) const override {
    if (IsNull(col)) return "";
    const char* value = PQgetvalue(result_, row_, col);
    if (PQftype(result_, col) != kByteaOid) {
      return std::string(value, static_cast<std::size_t>(PQgetlength(result_, row_, col)));
    }
    size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(value), &length);
    if (bytes == nullptr) return "";
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }

 private:
  // Callers bind ":name"; the rewrite recorded "name".
  static std::string_view Bare(std::string_view name) {
    return name.starts_with(':') ? name.substr(1) : name;
  }
  void Set(std::string_view name, std::string value, bool binary) {
    name = Bare(name);
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) {
        values_[i] = value;
        binary_[i] = binary ? 1 : 0;
      }
    }
    Check(name);
  }
  void Check(std::string_view name) {
    name = Bare(name);
    for (const auto& n : names_) {
      if (n == name) return;
    }
    if (!bind_error_) {
      bind_error_ = Error{ErrorCode::kInternal, "SQL has no parameter :" + std::string(name)};
    }
  }

  Status Execute() {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
      values[i] = values_[i] ? values_[i]->data() : nullptr;
      lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
    }
    result_ = PQexecPrepared(conn_.handle(), name_.c_str(), static_cast<int>(values.size()),
                             values.data(), lengths.data(), binary_.data(), 0);
    const ExecStatusType status = PQresultStatus(result_);
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
      Error e = PgError(result_, conn_.handle(), "running a statement");
      conn_.RecordError(result_);
      return Fail(std::move(e));
    }
    conn_.RecordResult(result_);
    return Ok();
  }

  PgConnection& conn_;
  const std::string& name_;
  const std::vector<std::string>& names_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;
  std::optional<Error> bind_error_;
  pg_result* result_ = nullptr;
  int row_ = -1;
};

}  // namespace

Error PgError(const pg_result* result, pg_conn* conn, std::string_view step) {
  std::string state;
  std::string detail;
  if (result != nullptr) {
    const char* code = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    state = code != nullptr ? code : "";
    detail = Trimmed(PQresultErrorMessage(result));
  }
  if (detail.empty() && conn != nullptr) detail = Trimmed(PQerrorMessage(conn));
  std::string message = std::string(step) + ": " + detail;
  const std::string cls = state.substr(0, 2);
  if (state == "23505") return Error{ErrorCode::kAlreadyExists, std::move(message)};
  if (cls == "23") return Error{ErrorCode::kConflict, std::move(message)};
  if (state == "40001" || state == "40P01") {
    return Error{ErrorCode::kUnavailable, message + " (concurrent change; retry)"};
  }
  if (state == "28P01" || state == "28000") {
    return Error{ErrorCode::kUnauthenticated, std::move(message)};
  }
  if (cls == "08" || cls == "57" || state == "53300" || state.empty()) {
    return Error{ErrorCode::kUnavailable, std::move(message)};
  }
  return Error{ErrorCode::kIo, std::move(message)};
}

std::pair<std::string, std::vector<std::string>> RewriteParameters(std::string_view sql) {
  std::string out;
  std::vector<std::string> names;
  bool in_string = false;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (c == '\'') in_string = !in_string;
    const bool cast = c == ':' && i + 1 < sql.size() && sql[i + 1] == ':';
    if (cast) {
      out += "::";
      ++i;
      continue;
    }
    if (in_string || c != ':' || i + 1 >= sql.size() || !IsNameChar(sql[i + 1])) {
      out += c;
      continue;
    }
    std::size_t end = i + 1;
    while (end < sql.size() && IsNameChar(sql[end])) ++end;
    std::string name(sql.substr(i + 1, end - i - 1));
    std::size_t index = 0;
    while (index < names.size() && names[index] != name) ++index;
    if (index == names.size()) names.push_back(name);
    out += "$" + std::to_string(index + 1);
    i = end - 1;
  }
  return {std::move(out), std::move(names)};
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const ConnParams& params) {
  std::vector<const char*> keys;
  std::vector<const char*> values;
  for (const auto& [k, v] : params) {
    keys.push_back(k.c_str());
    values.push_back(v.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (conn == nullptr) return Fail(ErrorCode::kIo, "connecting to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    const bool auth = detail.find("password") != std::string::npos ||
                      detail.find("authentication") != std::string::npos;
    return Fail(auth ? ErrorCode::kUnauthenticated : ErrorCode::kUnavailable, detail);
  }
  return std::unique_ptr<PgConnection>(new PgConnection(conn));
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<sql::Statement> PgConnection::Prepare(std::string_view sql) {
  auto it = prepared_.find(std::string(sql));
  if (it == prepared_.end()) {
    auto [text, names] = RewriteParameters(sql);
    Prepared p{"s" + std::to_string(prepared_.size() + 1), std::move(names)};
    pg_result* result = PQprepare(conn_, p.name.c_str(), text.c_str(), 0, nullptr);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      Error e = PgError(result, conn_, "preparing a statement");
      RecordError(result);
      PQclear(result);
      return Fail(std::move(e));
    }
    PQclear(result);
    it = prepared_.emplace(std::string(sql), std::move(p)).first;
  }
  return sql::Statement(std::make_unique<PgStatement>(*this, it->second.name, it->second.params));
}

Status PgConnection::Exec(std::string_view sql, std::string_view step) {
  pg_result* result = PQexec(conn_, std::string(sql).c_str());
  const ExecStatusType status = PQresultStatus(result);
  Status out = Ok();
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    out = Fail(PgError(result, conn_, step));
    RecordError(result);
  } else {
    RecordResult(result);
  }
  PQclear(result);
  return out;
}

std::int64_t PgConnection::LastInsertRowId() {
  pg_result* result = PQexec(conn_, "SELECT lastval()");
  std::int64_t id = 0;
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
    id = std::strtoll(PQgetvalue(result, 0, 0), nullptr, 10);
  }
  PQclear(result);
  return id;
}

bool PgConnection::InTransaction() const {
  const auto status = PQtransactionStatus(conn_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool PgConnection::broken() const { return PQstatus(conn_) != CONNECTION_OK; }

bool PgConnection::LastErrorIsRetryable() const {
  return last_sqlstate_ == "40001" || last_sqlstate_ == "40P01";
}

void PgConnection::RecordResult(const pg_result* result) {
  const char* tuples = PQcmdTuples(const_cast<pg_result*>(result));
  changes_ = tuples != nullptr && *tuples != '\0' ? std::strtoll(tuples, nullptr, 10) : 0;
}

void PgConnection::RecordError(const pg_result* result) {
  const char* code = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = code != nullptr ? code : "08000";
}

}  // namespace certfleet::store::postgres
