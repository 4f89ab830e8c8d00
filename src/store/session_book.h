// SessionBook: the web UI's sign-in sessions (hub/ui/session_store.h), kept in the
// database so that every hub on it serves every signed-in person and a hub restart signs
// nobody out (issue 14).
//
// Only the SHA-256 of a session's id (the cookie value) is stored, never the id itself:
// someone who reads the database or a backup cannot take over a session. The CSRF token
// is stored as is (it is worthless without the id). A signed-in session names the API
// token it signed in with by the SHA-256 of that token's secret; FindUiSession reads the
// token in the same statement, so one indexed read per request tells whether the session
// is live and whether its token was revoked since.
//
// Callers: hub/ui/session_store.cc only. Housekeeping only: no event, no audit (the UI
// logs sign-ins). Every hub on the same database sees the same sessions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "store/model.h"

namespace certfleet::store {

struct UiSession {
  std::string id_sha256;        // lower-case hex SHA-256 of the session id: the key
  std::string csrf_token;       // goes into the UI's forms
  std::string token_sha256;     // of the API token that signed in; "" while anonymous
  TimePoint expires_at{};       // idle expiry (TouchUiSession pushes it forward)
  TimePoint absolute_expiry{};  // never moves; expires_at never passes it
  // Set by FindUiSession only: the token whose secret_sha256 is token_sha256 (revoked
  // ones too: check revoked_at); nullopt while anonymous or when no such token exists.
  std::optional<Token> token;
};

// The argument checks of CreateUiSession, shared by the backends (store/session_book.cc).
Status CheckUiSession(const UiSession& session, std::int64_t max_sessions);

class SessionBook {
 public:
  virtual ~SessionBook() = default;

  // In one transaction: deletes the session `replaces_sha256` (if not empty; unknown is
  // fine) — so a sign-in's new id replaces the previous one (no session fixation) —,
  // deletes every session with expires_at <= now, then, while `max_sessions` or more
  // remain, drops those closest to expiry (anonymous ones first), and stores `session`
  // (its `token` member is ignored). So at most max_sessions live sessions exist per
  // database. kInvalidArgument if id_sha256 or a non-empty token_sha256 is not 64 hex
  // characters, csrf_token is empty, expires_at is after absolute_expiry or max_sessions
  // < 1; kAlreadyExists if id_sha256 is taken.
  virtual Status CreateUiSession(const UiSession& session, std::string_view replaces_sha256,
                                 TimePoint now, std::int64_t max_sessions) = 0;
  // The live session (expires_at > now) with its token; kNotFound for an unknown or
  // expired one.
  virtual Result<UiSession> FindUiSession(std::string_view id_sha256, TimePoint now) = 0;
  // Moves the idle expiry to min(expires_at, absolute_expiry) if that is later than the
  // stored one (never earlier). Fine for an unknown session.
  virtual Status TouchUiSession(std::string_view id_sha256, TimePoint expires_at) = 0;
  // Ends the session; fine for an unknown one.
  virtual Status DeleteUiSession(std::string_view id_sha256) = 0;
  // Live sessions (expires_at > now).
  virtual Result<std::int64_t> CountUiSessions(TimePoint now) = 0;
  // Deletes sessions with expires_at <= now; returns how many.
  virtual Result<std::int64_t> DeleteExpiredUiSessions(TimePoint now) = 0;
};

}  // namespace certfleet::store
