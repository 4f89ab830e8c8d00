// The MetricsView (store/metrics_view.h) on SQL, for SQLite and PostgreSQL: one dedicated
// read connection, opened on first use and again after a failed visit (a PostgreSQL
// restart), so a scrape never takes a connection from the store's pool.
#include "store/sql/metrics_view.h"

#include <mutex>

namespace certfleet::store::sql {
namespace {

std::string DomainsSql(std::string_view certificates) {
  return "SELECT d.id, d.name, COALESCE(cu.name, ''), d.issuer, d.status, d.renew_at, c.id, "
         "c.not_before, c.not_after, c.serial FROM domains d "
         "LEFT JOIN customers cu ON cu.id = d.customer_id "
         "LEFT JOIN " +
         std::string(certificates) + " ON c.id = d.current_certificate_id ORDER BY d.id";
}

class SqlMetricsView final : public MetricsView {
 public:
  SqlMetricsView(ConnectionFactory connect, std::string begin_sql, std::string_view certificates)
      : connect_(std::move(connect)),
        begin_sql_(std::move(begin_sql)),
        domains_sql_(DomainsSql(certificates)) {}

  Status Visit(MetricsVisitor& visitor) override {
    std::lock_guard lock(mu_);
    if (auto s = Connect(); !s) return s;
    Status result = conn_->Exec(begin_sql_, "starting the metrics read");
    if (result) result = VisitAll(visitor);
    if (result) result = conn_->Exec("COMMIT", "ending the metrics read");
    if (!result) Drop();
    return result;
  }

  Result<std::string> CertificateSerial(Id certificate_id) override {
    std::lock_guard lock(mu_);
    if (auto s = Connect(); !s) return Fail(s.error());
    auto stmt = conn_->Prepare("SELECT serial FROM certificates WHERE id = :id");
    if (!stmt) return Fail(stmt.error());
    stmt->BindInt(":id", certificate_id);
    auto row = stmt->Step();
    if (!row) {
      Drop();
      return Fail(row.error());
    }
    if (!*row) {
      return Fail(ErrorCode::kNotFound,
                  "certificate " + std::to_string(certificate_id) + " not found");
    }
    return stmt->Text(0);
  }

 private:
  Status Connect() {
    if (conn_) return Ok();
    auto conn = connect_();
    if (!conn) return Fail(conn.error());
    conn_ = std::move(*conn);
    return Ok();
  }
  // After a failure: end whatever transaction is open, or reconnect next time.
  void Drop() {
    if (conn_ && conn_->InTransaction() && conn_->Exec("ROLLBACK", "ending the metrics read")) {
      return;
    }
    conn_.reset();
  }

  Status VisitAll(MetricsVisitor& v) {
    Status s = Each("SELECT id, name, agent_last_seen FROM machines ORDER BY id",
                    [&](const Statement& r) { v.Machine(r.Int(0), View(r, 1, 0), r.OptTime(2)); });
    if (s) s = Each(domains_sql_, [&](const Statement& r) { VisitDomain(v, r); });
    if (s) {
      s = Each("SELECT machine_id, domain_id FROM domain_machines ORDER BY machine_id, domain_id",
               [&](const Statement& r) { v.Hosting(r.Int(0), r.Int(1)); });
    }
    if (s) {
      s = Each(
          "SELECT machine_id, domain_id, certificate_id, reported_at FROM deployments "
          "WHERE status = 'deployed'",
          [&](const Statement& r) { v.Served(r.Int(0), r.Int(1), r.Int(2), r.Time(3)); });
    }
    if (s) {
      s = Each("SELECT state, COUNT(*) FROM orders GROUP BY state",
               [&](const Statement& r) { v.OrderCount(View(r, 0, 0), r.Int(1)); });
    }
    if (s) {
      s = Each(
          "SELECT channel, COUNT(*) FROM notifications WHERE delivered_at IS NULL GROUP BY channel",
          [&](const Statement& r) { v.NotificationQueue(View(r, 0, 0), r.Int(1)); });
    }
    if (s && v.WantsOutbox()) s = VisitOutbox(v);
    return s;
  }

  // Two reads of the partial index on unpublished events: the count, and the head of the
  // queue by revision. (MIN(created_at) read every unpublished row: ~4x the time.)
  Status VisitOutbox(MetricsVisitor& v) {
    std::int64_t unpublished = 0;
    std::optional<TimePoint> oldest;
    Status s = Each("SELECT COUNT(*) FROM events WHERE published_at IS NULL",
                    [&](const Statement& r) { unpublished = r.Int(0); });
    if (s && unpublished > 0) {
      s = Each("SELECT created_at FROM events WHERE published_at IS NULL ORDER BY revision LIMIT 1",
               [&](const Statement& r) { oldest = r.OptTime(0); });
    }
    if (s) v.Outbox(unpublished, oldest);
    return s;
  }

  // The text of column `col`, kept in scratch buffer `slot` until the next row.
  std::string_view View(const Statement& row, int col, int slot) {
    scratch_[slot] = row.Text(col);
    return scratch_[slot];
  }

  void VisitDomain(MetricsVisitor& v, const Statement& r) {
    DomainMetricsRow row;
    row.id = r.Int(0);
    row.name = View(r, 1, 0);
    row.customer = View(r, 2, 1);
    row.issuer = View(r, 3, 2);
    if (auto status = ParseDomainStatus(r.Text(4))) row.status = *status;
    row.renew_at = r.OptTime(5);
    if (!r.IsNull(6)) {
      row.certificate_id = r.Int(6);
      row.not_before = r.Time(7);
      row.not_after = r.Time(8);
      row.serial = View(r, 9, 3);
    }
    v.Domain(row);
  }

  template <typename F>
  Status Each(std::string_view sql, F&& fn) {
    auto stmt = conn_->Prepare(sql);
    if (!stmt) return Fail(stmt.error());
    while (true) {
      auto row = stmt->Step();
      if (!row) return Fail(row.error().WithContext("reading metrics"));
      if (!*row) return Ok();
      fn(*stmt);
    }
  }

  const ConnectionFactory connect_;
  const std::string begin_sql_;
  const std::string domains_sql_;
  std::mutex mu_;  // guards conn_ and scratch_
  std::unique_ptr<Connection> conn_;
  std::string scratch_[4];  // the texts behind the string_views of the current row
};

}  // namespace

std::unique_ptr<MetricsView> MakeSqlMetricsView(ConnectionFactory connect, std::string begin_sql,
                                                std::string_view certificates) {
  return std::make_unique<SqlMetricsView>(std::move(connect), std::move(begin_sql), certificates);
}

}  // namespace certfleet::store::sql
