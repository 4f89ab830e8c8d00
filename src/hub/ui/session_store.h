// SessionStore: the web UI's server-side sessions.
//
// A session starts anonymous (the sign-in form needs a CSRF token before anyone is signed
// in) and becomes signed in by SignIn, which issues a NEW id (no session fixation). Ids and
// CSRF tokens are 32 random bytes as hex; the browser holds only the id, in an HttpOnly,
// SameSite=Strict cookie (see cookies.h). The store keeps the principal and the SHA-256 of
// the token used to sign in (never the token), so each request can re-check revocation.
//
// Expiry: a signed-in session ends after `idle_timeout` without requests or
// `absolute_timeout` after sign-in, whichever comes first; an anonymous one after
// `anonymous_timeout`. At most `max_sessions` are kept; when full, the one closest to
// expiry is dropped (anonymous ones are cheap to lose). In memory only: a hub restart
// signs everyone out.
//
// Thread safety: every method may be called concurrently. Lookups hash the presented id
// first, so map comparisons never run on the secret itself.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "hub/auth.h"

namespace certfleet::hub::ui {

struct SessionOptions {
  Duration idle_timeout{std::chrono::hours(8)};
  Duration absolute_timeout{std::chrono::hours(12)};
  Duration anonymous_timeout{std::chrono::minutes(30)};
  std::size_t max_sessions = 10'000;
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
  explicit SessionStore(Clock& clock, SessionOptions options = {});

  // A fresh anonymous session.
  Session CreateAnonymous();
  // Ends `previous_id` (if any) and returns a fresh signed-in session with a new id and
  // a new CSRF token.
  Session SignIn(std::string_view previous_id, Principal principal, std::string token_sha256);
  // The live session with this id, its idle expiry pushed forward; nullopt for an unknown
  // or expired id (an expired one is removed).
  std::optional<Session> Find(std::string_view id);
  // Ends the session; unknown ids are ignored.
  void Remove(std::string_view id);
  // Sessions currently held (expired ones may still count until the next Create/SignIn).
  std::size_t size() const;

 private:
  Session Insert(Session session);  // requires mu_ held
  void Evict();                     // requires mu_ held

  Clock& clock_;
  const SessionOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, Session> sessions_;  // key: hex SHA-256 of the id
};

}  // namespace certfleet::hub::ui
