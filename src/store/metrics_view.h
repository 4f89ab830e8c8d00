// MetricsView: the aggregate reads behind the hub's GET /metrics (hub/metrics/), one role
// of the store (DESIGN.md: callers take only the roles they use).
//
// Visit runs every query in ONE read transaction (a consistent snapshot) and hands the rows
// to a visitor, so nothing per row is allocated by the store: the string_views passed to a
// callback are valid only during that call. At 100,000 domains a visit reads ~100k domain
// rows, ~100k hosting pairs and the deployed rows (one per machine and certificate) once.
//
// Thread safety: implementations are safe for concurrent use; a visit holds a connection of
// its own, so a scrape never takes a connection from the API's pool.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

struct DomainMetricsRow {
  Id id = 0;
  std::string_view name;
  std::string_view customer;  // "" when none
  std::string_view issuer;
  DomainStatus status = DomainStatus::kPending;
  std::optional<TimePoint> renew_at;
  // The current certificate; certificate_id empty (and the rest unset) when there is none.
  std::optional<Id> certificate_id;
  TimePoint not_before{};
  TimePoint not_after{};
  std::string_view serial;
};

// Receives the rows of one Visit. The calls come in this order: machines, domains,
// hosting pairs, served rows, order counts, notification queues, outbox.
class MetricsVisitor {
 public:
  virtual ~MetricsVisitor() = default;
  // Every machine, ascending id.
  virtual void Machine(Id id, std::string_view name, std::optional<TimePoint> agent_last_seen) = 0;
  // Every domain, ascending id.
  virtual void Domain(const DomainMetricsRow& row) = 0;
  // Every (machine, domain) the hub wants served, ascending (machine_id, domain_id).
  virtual void Hosting(Id machine_id, Id domain_id) = 0;
  // Every deployment the agents reported as served (status deployed), in no order; a pair
  // may have several (one per certificate ever deployed there).
  virtual void Served(Id machine_id, Id domain_id, Id certificate_id, TimePoint reported_at) = 0;
  // Orders per state (only states that have orders).
  virtual void OrderCount(std::string_view state, std::int64_t count) = 0;
  // Undelivered notifications per channel (only channels that have some).
  virtual void NotificationQueue(std::string_view channel, std::int64_t pending) = 0;
  // Events the RabbitMQ relay has not published yet, and the creation time of the first of
  // them in revision order (the head of the queue). Only when WantsOutbox().
  virtual void Outbox(std::int64_t unpublished, std::optional<TimePoint> oldest) = 0;
  // Counting the unpublished events scans them, and on a hub without RabbitMQ nothing
  // publishes them (~500,000 after 100,000 domains were saved: ~75 ms of a scrape, issue
  // 18): a visitor that shows no outbox says so, and Outbox is not called.
  virtual bool WantsOutbox() const { return true; }
};

class MetricsView {
 public:
  virtual ~MetricsView() = default;
  // kUnavailable / kIo when the store cannot be read; the visitor may then hold a part.
  virtual Status Visit(MetricsVisitor& visitor) = 0;
  // The serial (lower-case hex) of one certificate; kNotFound for an unknown id.
  virtual Result<std::string> CertificateSerial(Id certificate_id) = 0;
};

// The SQLite MetricsView on the hub's database file (opened read-only beside the store).
Result<std::unique_ptr<MetricsView>> OpenSqliteMetricsView(const std::string& path);

}  // namespace certfleet::store
