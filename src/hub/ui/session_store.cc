#include "hub/ui/session_store.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::hub::ui {
namespace {

std::string RandomHex() { return HexEncode(crypto::RandomBytes(32)); }
std::string KeyOf(std::string_view id) { return HexEncode(crypto::Sha256(id)); }

// The person behind a live session's token; nullopt when the token is revoked or gone.
std::optional<Principal> PrincipalOf(const store::UiSession& row) {
  if (!row.token || row.token->revoked_at) return std::nullopt;
  Principal p;
  p.token_id = row.token->id;
  p.token_name = row.token->name;
  p.role = row.token->role;
  p.machine_id = row.token->machine_id;
  return p;
}

}  // namespace

SessionStore::SessionStore(store::SessionBook& book, Clock& clock, SessionOptions options)
    : book_(book), clock_(clock), options_(options) {}

Result<Session> SessionStore::CreateAnonymous() {
  Session s;
  s.id = RandomHex();
  s.csrf_token = RandomHex();
  s.expires_at = clock_.Now() + options_.anonymous_timeout;
  s.absolute_expiry = s.expires_at;
  return Insert(std::move(s), "");
}

Result<Session> SessionStore::SignIn(std::string_view previous_id, Principal principal,
                                     std::string token_sha256) {
  const TimePoint now = clock_.Now();
  Session s;
  s.id = RandomHex();
  s.csrf_token = RandomHex();
  s.principal = std::move(principal);
  s.token_sha256 = std::move(token_sha256);
  s.absolute_expiry = now + options_.absolute_timeout;
  s.expires_at = std::min(now + options_.idle_timeout, s.absolute_expiry);
  return Insert(std::move(s), previous_id);
}

std::optional<Session> SessionStore::Find(std::string_view id) {
  if (id.empty()) return std::nullopt;
  const std::string key = KeyOf(id);
  const TimePoint now = clock_.Now();
  auto row = book_.FindUiSession(key, now);
  if (!row) {
    if (row.error().code != ErrorCode::kNotFound)
      spdlog::warn("hub ui: cannot read a session: {}", row.error().message);
    return std::nullopt;
  }
  Session s;
  s.id = std::string(id);
  s.csrf_token = row->csrf_token;
  s.token_sha256 = row->token_sha256;
  s.expires_at = row->expires_at;
  s.absolute_expiry = row->absolute_expiry;
  if (row->token_sha256.empty()) return s;  // anonymous: its expiry does not move
  s.principal = PrincipalOf(*row);
  if (!s.principal) {  // the token was revoked since sign-in: the session ends everywhere
    Remove(id);
    return std::nullopt;
  }
  const TimePoint pushed = std::min(now + options_.idle_timeout, s.absolute_expiry);
  if (pushed - s.expires_at >= options_.touch_step) {
    if (auto touched = book_.TouchUiSession(key, pushed); touched) {
      s.expires_at = pushed;
    } else {
      spdlog::warn("hub ui: cannot extend a session: {}", touched.error().message);
    }
  }
  return s;
}

void SessionStore::Remove(std::string_view id) {
  if (id.empty()) return;
  if (auto s = book_.DeleteUiSession(KeyOf(id)); !s)
    spdlog::warn("hub ui: cannot end a session: {}", s.error().message);
}

std::size_t SessionStore::size() const {
  auto count = book_.CountUiSessions(clock_.Now());
  return count ? static_cast<std::size_t>(*count) : 0;
}

Result<Session> SessionStore::Insert(Session session, std::string_view previous_id) {
  store::UiSession row;
  row.id_sha256 = KeyOf(session.id);
  row.csrf_token = session.csrf_token;
  row.token_sha256 = session.token_sha256;
  row.expires_at = session.expires_at;
  row.absolute_expiry = session.absolute_expiry;
  const std::string previous = previous_id.empty() ? "" : KeyOf(previous_id);
  if (auto s = book_.CreateUiSession(row, previous, clock_.Now(),
                                     static_cast<std::int64_t>(options_.max_sessions));
      !s) {
    return Fail(s.error());
  }
  return session;
}

}  // namespace certfleet::hub::ui
