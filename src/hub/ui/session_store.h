// SessionStore: the web UI's server-side sessions, kept in the store's SessionBook
// (store/session_book.h), so that every hub on one database serves every signed-in person
// and a hub restart signs nobody out.
//
// A session starts anonymous (kept for tests and future forms; the sign-in form itself is
// stateless, see sign_in_form.h) and becomes signed in by SignIn, which issues a NEW id and
// ends the previous one in the same transaction (no session fixation). Ids and CSRF tokens
// are 32 random bytes as hex; the browser holds only the id, in an HttpOnly,
// SameSite=Strict cookie (see cookies.h). The database keeps the SHA-256 of the id (never
// the id), the CSRF token, and the SHA-256 of the API token used to sign in (never the
// token); the principal is read from that token on every request, so a revoked token ends
// the session on every hub at once.
//
// Expiry: a signed-in session ends after `idle_timeout` without requests or
// `absolute_timeout` after sign-in, whichever comes first; an anonymous one after
// `anonymous_timeout`. Expired rows are deleted at every sign-in (and refused before that).
// At most `max_sessions` live sessions are kept per DATABASE (not per hub: hubs come and
// go, the table is what must stay bounded); when full, the one closest to expiry is
// dropped, anonymous ones first.
//
// Cost per request: Find is one indexed read (the session joined with its token). It
// writes only when the idle expiry would move by `touch_step` (a minute) or more, so a
// busy page costs no write per request; the idle timeout is thus honoured to within
// `touch_step`.
//
// A database that cannot be reached: Find answers "not signed in" (logged), SignIn and
// CreateAnonymous return the error.
//
// Thread safety: every method may be called concurrently (the store is).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"
#include "hub/auth.h"
#include "store/session_book.h"

namespace certfleet::hub::ui {

struct SessionOptions {
  Duration idle_timeout{std::chrono::hours(8)};
  Duration absolute_timeout{std::chrono::hours(12)};
  Duration anonymous_timeout{std::chrono::minutes(30)};
  std::size_t max_sessions = 10'000;  // live sessions per database
  Duration touch_step{std::chrono::minutes(1)};
};

struct Session {
  std::string id;                      // the cookie value; only the browser and this struct hold it
  std::string csrf_token;              // goes into every form and the X-CSRF-Token header of htmx
  std::optional<Principal> principal;  // nullopt while anonymous
  std::string token_sha256;            // of the sign-in token, to detect revocation
  TimePoint expires_at{};
  TimePoint absolute_expiry{};

  bool signed_in() const { return principal.has_value(); }
};

class SessionStore {
 public:
  SessionStore(store::SessionBook& book, Clock& clock, SessionOptions options = {});

  // A fresh anonymous session.
  Result<Session> CreateAnonymous();
  // Ends `previous_id` (if any) and returns a fresh signed-in session with a new id and
  // a new CSRF token, in one transaction.
  Result<Session> SignIn(std::string_view previous_id, Principal principal,
                         std::string token_sha256);
  // The live session with this id, its idle expiry pushed forward (see the cost note
  // above); nullopt for an unknown or expired id, and for a session whose token was
  // revoked or is gone (that session is deleted).
  std::optional<Session> Find(std::string_view id);
  // Ends the session; unknown ids are ignored.
  void Remove(std::string_view id);
  // Live sessions in the database (0 when it cannot be read).
  std::size_t size() const;

 private:
  Result<Session> Insert(Session session, std::string_view previous_id);

  store::SessionBook& book_;
  Clock& clock_;
  const SessionOptions options_;
};

}  // namespace certfleet::hub::ui
