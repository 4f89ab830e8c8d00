// SignInForm: CSRF protection for the sign-in form without server-side state.
//
// Review 2026-12-06, F8: every GET /ui/login used to create an anonymous session, and the
// session store evicts anonymous sessions first when full, so 10,000 unauthenticated GETs
// evicted everyone who was between loading the form and submitting it ("The sign-in form
// expired"). Now a GET stores nothing. The browser gets a cookie "cf_signin" =
// "<ms since epoch>.<32 random hex>" (HttpOnly, SameSite=Strict) and the form carries its
// HMAC-SHA256 under a key derived from the master key (issue 14: every hub on one database
// holds the same master key, so a form served by one hub may be posted to another, and a
// hub restart invalidates no open form): only the hubs can mint a pair, a pair is tied to
// the browser that holds the cookie, and it expires after max_age. A flood of GETs costs
// nothing and evicts nobody.
//
// Thread-safe (immutable after construction).
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::hub::ui {

inline constexpr std::string_view kSignInCookie = "cf_signin";

class SignInForm {
 public:
  // `key`: the MAC key, at least 32 bytes (crypto::Envelope::DeriveKey on a hub); the
  // first form uses 32 random bytes of this process only (tests).
  explicit SignInForm(Clock& clock, Duration max_age = std::chrono::minutes(30));
  SignInForm(Clock& clock, std::string key, Duration max_age = std::chrono::minutes(30));

  struct Issued {
    std::string cookie;      // the cf_signin value
    std::string csrf_token;  // 64 hex: goes into the form's csrf_token field
  };
  Issued Issue() const;

  // Ok when `csrf_token` was issued with `cookie` under this key less than max_age ago;
  // kPermissionDenied with what to do otherwise.
  Status Check(std::string_view cookie, std::string_view csrf_token) const;

  Duration max_age() const { return max_age_; }

 private:
  std::string Mac(std::string_view cookie) const;

  Clock& clock_;
  const Duration max_age_;
  const std::string key_;
};

}  // namespace certfleet::hub::ui
