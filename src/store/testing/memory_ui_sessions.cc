// The memory store's SessionBook (the web UI's sign-in sessions).
#include <algorithm>
#include <tuple>
#include <vector>

#include "store/testing/memory_store_impl.h"

namespace certfleet::store::testing {
namespace {

std::int64_t DeleteExpired(MemoryDatabase& db, TimePoint now) {
  return static_cast<std::int64_t>(std::erase_if(
      db.ui_sessions, [now](const auto& entry) { return entry.second.expires_at <= now; }));
}

// Drops the `n` sessions closest to expiry, anonymous ones first.
void DropClosestToExpiry(MemoryDatabase& db, std::int64_t n) {
  std::vector<const UiSession*> order;
  for (const auto& [key, s] : db.ui_sessions) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const UiSession* a, const UiSession* b) {
    return std::make_tuple(!a->token_sha256.empty(), a->expires_at, a->id_sha256) <
           std::make_tuple(!b->token_sha256.empty(), b->expires_at, b->id_sha256);
  });
  std::vector<std::string> victims;
  for (std::int64_t i = 0; i < n && i < static_cast<std::int64_t>(order.size()); ++i)
    victims.push_back(order[static_cast<std::size_t>(i)]->id_sha256);
  for (const std::string& key : victims) db.ui_sessions.erase(key);
}

}  // namespace

Status MemoryStore::CreateUiSession(const UiSession& session, std::string_view replaces_sha256,
                                    TimePoint now, std::int64_t max_sessions) {
  if (auto s = CheckUiSession(session, max_sessions); !s) return s;
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    MemoryDatabase& db = tx.db;
    const TimePoint at = Ms(now);
    if (db.ui_sessions.contains(session.id_sha256) && session.id_sha256 != replaces_sha256) {
      // Checked before any change, as a failed SQL transaction changes nothing.
      auto it = db.ui_sessions.find(session.id_sha256);
      if (it->second.expires_at > at)
        return Fail(ErrorCode::kAlreadyExists, "a UI session with this id already exists");
    }
    if (!replaces_sha256.empty()) db.ui_sessions.erase(std::string(replaces_sha256));
    DeleteExpired(db, at);
    const auto live = static_cast<std::int64_t>(db.ui_sessions.size());
    if (live >= max_sessions) DropClosestToExpiry(db, live - max_sessions + 1);
    UiSession row = session;
    row.token.reset();
    row.expires_at = Ms(row.expires_at);
    row.absolute_expiry = Ms(row.absolute_expiry);
    db.ui_sessions.emplace(row.id_sha256, std::move(row));
    return Ok();
  });
}

Result<UiSession> MemoryStore::FindUiSession(std::string_view id_sha256, TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<UiSession> {
    auto it = db.ui_sessions.find(id_sha256);
    if (it == db.ui_sessions.end() || it->second.expires_at <= Ms(now))
      return Fail(ErrorCode::kNotFound, "no such UI session (unknown or expired)");
    UiSession out = it->second;
    if (!out.token_sha256.empty()) {
      if (auto t = db.token_hashes.find(out.token_sha256); t != db.token_hashes.end())
        out.token = db.tokens.at(t->second);
    }
    return out;
  });
}

Status MemoryStore::TouchUiSession(std::string_view id_sha256, TimePoint expires_at) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    auto it = tx.db.ui_sessions.find(id_sha256);
    if (it == tx.db.ui_sessions.end()) return Ok();
    UiSession& s = it->second;
    s.expires_at = std::max(s.expires_at, std::min(Ms(expires_at), s.absolute_expiry));
    return Ok();
  });
}

Status MemoryStore::DeleteUiSession(std::string_view id_sha256) {
  return Write(nullptr, [&](MemoryTx& tx) -> Status {
    if (auto it = tx.db.ui_sessions.find(id_sha256); it != tx.db.ui_sessions.end())
      tx.db.ui_sessions.erase(it);
    return Ok();
  });
}

Result<std::int64_t> MemoryStore::CountUiSessions(TimePoint now) {
  return Read([&](MemoryDatabase& db) -> Result<std::int64_t> {
    const TimePoint at = Ms(now);
    return static_cast<std::int64_t>(
        std::count_if(db.ui_sessions.begin(), db.ui_sessions.end(),
                      [at](const auto& entry) { return entry.second.expires_at > at; }));
  });
}

Result<std::int64_t> MemoryStore::DeleteExpiredUiSessions(TimePoint now) {
  return Write(nullptr,
               [&](MemoryTx& tx) -> Result<std::int64_t> { return DeleteExpired(tx.db, Ms(now)); });
}

}  // namespace certfleet::store::testing
