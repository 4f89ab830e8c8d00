// Memory store: the outbox and cursors (store/outbox.h), deployments
// (store/deployment_log.h), tokens (store/token_store.h), the audit log and the
// notification queue.
#include <algorithm>
#include <array>

#include "common/encoding.h"
#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

// 32 hex characters from the database's seeded generator (deterministic per seed).
std::string NextEventId(MemoryDatabase& db) {
  std::array<std::uint64_t, 2> words{db.rng(), db.rng()};
  return HexEncode(std::string_view(reinterpret_cast<const char*>(words.data()), 16));
}

Status CheckToken(const Token& t) {
  if (t.secret_sha256.size() != 64) {
    return Fail(ErrorCode::kInvalidArgument,
                "token '" + t.name + "': secret_sha256 must be 64 hex characters");
  }
  if ((t.role == Role::kAgent) != t.machine_id.has_value()) {
    return Fail(ErrorCode::kInvalidArgument,
                "token '" + t.name + "': agent tokens need a machine, other roles none");
  }
  return Ok();
}

Result<Notification*> FindNotification(MemoryDatabase& db, Id id) {
  auto it = db.notifications.find(id);
  if (it == db.notifications.end()) return Fail(NotFound("notification", id));
  return &it->second;
}

}  // namespace

Event MemoryTx::Append(const events::EventDraft& draft) {
  Event e;
  e.revision = static_cast<Revision>(db.events.size()) + 1;
  e.id = NextEventId(db);
  e.type = draft.type;
  e.subject = draft.subject;
  e.payload_json = draft.payload_json;
  e.created_at = now;
  db.events.push_back(e);
  db.unpublished.insert(e.revision);
  max_revision = std::max(max_revision, e.revision);
  ends_tokens = ends_tokens || events::EndsTokens(e.type);
  return e;
}

void MemoryTx::Audit(const events::EventDraft& draft) {
  AuditEntry entry;
  entry.id = static_cast<Id>(db.audit.size()) + 1;
  entry.actor = actor == nullptr || actor->name.empty() ? "unknown" : actor->name;
  entry.action = draft.type;
  entry.target = draft.subject;
  entry.at = now;
  entry.details_json = draft.payload_json;
  db.audit.push_back(std::move(entry));
}

// ---- events ----

Result<Event> MemoryStore::AppendEvent(const Actor& actor, const Event& e) {
  auto draft = events::CustomEvent(e);
  if (!draft) return Fail(draft.error());
  return Write(&actor, [&](MemoryTx& tx) -> Result<Event> {
    Event appended = tx.Append(*draft);
    tx.Audit(*draft);
    return appended;
  });
}

Result<std::vector<Event>> MemoryStore::ListEventsSince(Revision since, std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Event>> {
    std::vector<Event> out;
    for (auto i = static_cast<std::size_t>(std::max<Revision>(since, 0));
         i < db.events.size() && static_cast<std::int64_t>(out.size()) < limit; ++i) {
      out.push_back(db.events[i]);
    }
    return out;
  });
}

Result<Revision> MemoryStore::MaxRevision() {
  return Read([&](MemoryDatabase& db) -> Result<Revision> {
    return static_cast<Revision>(db.events.size());
  });
}

Result<std::vector<Event>> MemoryStore::ListUnpublishedEvents(std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Event>> {
    std::vector<Event> out;
    for (Revision r : db.unpublished) {
      if (static_cast<std::int64_t>(out.size()) >= limit) break;
      out.push_back(db.events[static_cast<std::size_t>(r - 1)]);
    }
    return out;
  });
}

Status MemoryStore::MarkEventsPublished(const std::vector<Revision>& revisions, TimePoint at) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    for (Revision r : revisions) {
      if (tx.db.unpublished.erase(r) > 0) {
        tx.db.events[static_cast<std::size_t>(r - 1)].published_at = Ms(at);
      }
    }
    return Ok();
  });
}

void MemoryStore::SetCommitListener(std::function<void(Revision)> listener) {
  std::lock_guard lock(listener_mu_);
  listener_ =
      listener ? std::make_shared<std::function<void(Revision)>>(std::move(listener)) : nullptr;
}

Result<Revision> MemoryStore::GetCursor(std::string_view consumer) {
  return Read([&](MemoryDatabase& db) -> Result<Revision> {
    auto it = db.cursors.find(consumer);
    return it == db.cursors.end() ? Revision{0} : it->second;
  });
}

Status MemoryStore::SetCursor(std::string_view consumer, Revision revision) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    tx.db.cursors[std::string(consumer)] = revision;
    return Ok();
  });
}

// ---- deployments ----

namespace {

// DeploymentReport::hosted_only: the error when the machine does not host the domain.
std::optional<Error> RefuseUnhosted(Store& store, const DeploymentReport& r) {
  if (!r.hosted_only) return std::nullopt;
  auto cert = store.GetCertificate(r.deployment.certificate_id);
  if (!cert) return std::nullopt;  // ReportDeployment says kNotFound
  auto hosted = store.HostedDomainName(r.deployment.machine_id, cert->domain_id);
  if (hosted || hosted.error().code != ErrorCode::kNotFound) return std::nullopt;
  return Error{ErrorCode::kPermissionDenied,
               "certificate " + std::to_string(r.deployment.certificate_id) +
                   " belongs to a domain that this token's machine does not host"};
}

}  // namespace

// The fake has no transactions to share: one write per report, same results.
std::vector<Result<StoredReport>> MemoryStore::ReportDeployments(
    const std::vector<DeploymentReport>& reports) {
  std::vector<Result<StoredReport>> results;
  results.reserve(reports.size());
  for (const auto& r : reports) {
    if (auto refused = RefuseUnhosted(*this, r)) {
      results.push_back(Fail(*refused));
      continue;
    }
    auto stored = ReportDeployment(r.actor, r.deployment);
    if (!stored) {
      results.push_back(Fail(stored.error()));
      continue;
    }
    auto machine = GetMachine(stored->machine_id);
    auto domain = GetDomain(stored->domain_id);
    if (!machine || !domain) {
      results.push_back(Fail(!machine ? machine.error() : domain.error()));
      continue;
    }
    results.push_back(StoredReport{std::move(*stored), machine->name, domain->name});
  }
  return results;
}

Result<Deployment> MemoryStore::ReportDeployment(const Actor& actor, const Deployment& d) {
  return Write(&actor, [&](MemoryTx& tx) -> Result<Deployment> {
    auto machine = tx.db.machines.find(d.machine_id);
    auto cert = tx.db.certificates.find(d.certificate_id);
    if (machine == tx.db.machines.end() || cert == tx.db.certificates.end()) {
      return Fail(ErrorCode::kNotFound, "reporting a deployment: machine " +
                                            std::to_string(d.machine_id) + " or certificate " +
                                            std::to_string(d.certificate_id) + " not found");
    }
    Deployment stored = d;
    stored.domain_id = cert->second.domain_id;
    stored.reported_at = Ms(d.reported_at.value_or(tx.now));
    stored.sha256 = Text(d.sha256);
    stored.error = Text(d.error);
    tx.db.deployments[{d.machine_id, d.certificate_id}] = stored;
    const std::string& domain = tx.db.domains.at(stored.domain_id).name;
    tx.Record(events::DeploymentReported(machine->second.name, domain, stored));
    return stored;
  });
}

Result<std::vector<Deployment>> MemoryStore::ListDomainDeployments(Id domain_id) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Deployment>> {
    std::vector<Deployment> out;
    auto domain = db.domains.find(domain_id);
    if (domain == db.domains.end() || !domain->second.current_certificate_id) return out;
    const Id cert = *domain->second.current_certificate_id;
    for (Id m : domain->second.machine_ids) {
      auto it = db.deployments.find({m, cert});
      if (it != db.deployments.end()) {
        out.push_back(it->second);
      } else {
        out.push_back(Deployment{m, cert, domain_id, DeploymentStatus::kPending, "", {}, ""});
      }
    }
    return out;
  });
}

Result<std::vector<DomainDeployments>> MemoryStore::ListDomainsDeployments(
    const std::vector<Id>& domain_ids) {
  std::vector<DomainDeployments> out;
  for (Id id : domain_ids) {
    DomainDeployments entry{id, std::nullopt, {}};
    auto names = Read([&](MemoryDatabase& db) -> Result<std::optional<std::vector<std::string>>> {
      auto domain = db.domains.find(id);
      if (domain == db.domains.end() || !domain->second.current_certificate_id) {
        return std::optional<std::vector<std::string>>();
      }
      return std::optional(db.certificates.at(*domain->second.current_certificate_id).names);
    });
    if (!names) return Fail(names.error());
    entry.certificate_names = std::move(*names);
    auto rows = ListDomainDeployments(id);
    if (!rows) return Fail(rows.error());
    entry.deployments = std::move(*rows);
    out.push_back(std::move(entry));
  }
  return out;
}

Result<std::vector<Deployment>> MemoryStore::ListMachineDeployments(Id machine_id,
                                                                    std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Deployment>> {
    std::vector<Deployment> out;
    auto first = db.deployments.lower_bound({machine_id, 0});
    for (auto it = first; it != db.deployments.end() && it->first.first == machine_id; ++it) {
      out.push_back(it->second);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.reported_at > b.reported_at; });
    if (static_cast<std::int64_t>(out.size()) > limit) out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

// ---- tokens ----

Result<Token> MemoryStore::CreateToken(const Actor& actor, const Token& t) {
  if (auto s = CheckToken(t); !s) return Fail(s.error());
  return Write(&actor, [&](MemoryTx& tx) -> Result<Token> {
    if (t.machine_id && !tx.db.machines.count(*t.machine_id)) {
      return Fail(NotFound("machine", *t.machine_id));
    }
    if (tx.db.token_hashes.count(t.secret_sha256)) {
      return Fail(ErrorCode::kAlreadyExists, "a token with this secret already exists");
    }
    Token row;
    row.id = tx.db.next_token++;
    row.name = t.name;
    row.role = t.role;
    row.machine_id = t.machine_id;
    row.secret_sha256 = t.secret_sha256;
    row.created_at = tx.now;
    tx.db.tokens[row.id] = row;
    tx.db.token_hashes[row.secret_sha256] = row.id;
    tx.Record(events::TokenCreated(row));
    return row;
  });
}

Result<Token> MemoryStore::FindTokenByHash(std::string_view secret_sha256) {
  return Read([&](MemoryDatabase& db) -> Result<Token> {
    auto it = db.token_hashes.find(std::string(secret_sha256));
    if (it == db.token_hashes.end()) return Fail(ErrorCode::kNotFound, "unknown token");
    return db.tokens.at(it->second);
  });
}

Result<std::vector<Token>> MemoryStore::ListTokens() {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Token>> {
    std::vector<Token> out;
    for (const auto& [id, t] : db.tokens) out.push_back(t);
    return out;
  });
}

Status MemoryStore::RevokeToken(const Actor& actor, Id id, TimePoint at) {
  return Write(&actor, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.tokens.find(id);
    if (it == tx.db.tokens.end()) return Fail(NotFound("token", id));
    if (it->second.revoked_at) return Ok();
    const Token before = it->second;
    it->second.revoked_at = Ms(at);
    tx.Record(events::TokenRevoked(before));
    return Ok();
  });
}

Status MemoryStore::TouchToken(Id id, TimePoint at) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.tokens.find(id);
    if (it == tx.db.tokens.end()) return Fail(NotFound("token", id));
    it->second.last_used_at = Ms(at);
    return Ok();
  });
}

// ---- audit ----

Result<std::vector<AuditEntry>> MemoryStore::ListAudit(const AuditQuery& q) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<AuditEntry>> {
    std::vector<AuditEntry> out;
    for (auto it = db.audit.rbegin(); it != db.audit.rend(); ++it) {
      if (static_cast<std::int64_t>(out.size()) >= q.limit) break;
      if (q.before_id && it->id >= *q.before_id) continue;
      if (!q.target.empty() && it->target != q.target) continue;
      out.push_back(*it);
    }
    return out;
  });
}

// ---- notifications ----

Result<Notification> MemoryStore::EnqueueNotification(const Notification& n) {
  if (n.channel.empty()) return Fail(ErrorCode::kInvalidArgument, "notification without a channel");
  return Write(nullptr, [&](MemoryTx& tx) -> Result<Notification> {
    if (!n.dedup_key.empty() && tx.db.notification_keys.count({n.channel, n.dedup_key})) {
      return Fail(ErrorCode::kAlreadyExists,
                  "notification '" + n.dedup_key + "' already queued on channel " + n.channel);
    }
    Notification row;
    row.id = tx.db.next_notification++;
    row.channel = n.channel;
    row.dedup_key = n.dedup_key;
    row.payload_json = n.payload_json;
    row.next_attempt_at = Ms(n.next_attempt_at);
    row.created_at = tx.now;
    if (!row.dedup_key.empty()) tx.db.notification_keys.emplace(row.channel, row.dedup_key);
    tx.db.due_notifications[row.channel].emplace(row.next_attempt_at, row.id);
    tx.db.notifications[row.id] = row;
    return row;
  });
}

Result<std::vector<Notification>> MemoryStore::ListDueNotifications(std::string_view channel,
                                                                    TimePoint now,
                                                                    std::int64_t limit) {
  return Read([&](MemoryDatabase& db) -> Result<std::vector<Notification>> {
    std::vector<Notification> out;
    auto due = db.due_notifications.find(channel);
    if (due == db.due_notifications.end()) return out;
    for (const auto& [at, id] : due->second) {
      if (at > Ms(now) || static_cast<std::int64_t>(out.size()) >= limit) break;
      out.push_back(db.notifications.at(id));
    }
    return out;
  });
}

Status MemoryStore::MarkNotificationDelivered(Id id, TimePoint at) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto n = FindNotification(tx.db, id);
    if (!n) return Fail(n.error());
    Notification& row = **n;
    tx.db.due_notifications[row.channel].erase({row.next_attempt_at, row.id});
    row.delivered_at = Ms(at);
    return Ok();
  });
}

Status MemoryStore::RescheduleNotification(Id id, TimePoint next_attempt_at,
                                           std::string_view error) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto n = FindNotification(tx.db, id);
    if (!n) return Fail(n.error());
    Notification& row = **n;
    auto& due = tx.db.due_notifications[row.channel];
    const bool undelivered = due.erase({row.next_attempt_at, row.id}) > 0;
    row.attempts += 1;
    row.last_error = Text(error);
    row.next_attempt_at = Ms(next_attempt_at);
    if (undelivered) due.emplace(row.next_attempt_at, row.id);
    return Ok();
  });
}

}  // namespace certfleet::store::testing
