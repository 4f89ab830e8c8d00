#include "hub/ui/sign_in_form.h"

#include <charconv>

#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::hub::ui {
namespace {

std::int64_t Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Status Expired() {
  return Fail(ErrorCode::kPermissionDenied, "The sign-in form expired; enter the token again.");
}

}  // namespace

SignInForm::SignInForm(Clock& clock, Duration max_age)
    : SignInForm(clock, crypto::RandomBytes(32), max_age) {}

SignInForm::SignInForm(Clock& clock, std::string key, Duration max_age)
    : clock_(clock), max_age_(max_age), key_(std::move(key)) {}

std::string SignInForm::Mac(std::string_view cookie) const {
  return HexEncode(crypto::HmacSha256(key_, cookie));
}

SignInForm::Issued SignInForm::Issue() const {
  std::string cookie =
      std::to_string(Millis(clock_.Now())) + "." + HexEncode(crypto::RandomBytes(16));
  std::string token = Mac(cookie);
  return {std::move(cookie), std::move(token)};
}

Status SignInForm::Check(std::string_view cookie, std::string_view csrf_token) const {
  const std::size_t dot = cookie.find('.');
  if (cookie.empty() || dot == std::string_view::npos) return Expired();
  std::int64_t issued_ms = 0;
  const auto [end, ec] = std::from_chars(cookie.data(), cookie.data() + dot, issued_ms);
  if (ec != std::errc() || end != cookie.data() + dot) return Expired();
  if (csrf_token.empty() || !crypto::ConstantTimeEqual(csrf_token, Mac(cookie))) {
    return Fail(ErrorCode::kPermissionDenied,
                "the form's CSRF token does not match (reload the sign-in page and try again)");
  }
  const std::int64_t age_ms = Millis(clock_.Now()) - issued_ms;
  if (age_ms < -60'000 || age_ms > max_age_.count()) return Expired();
  return Ok();
}

}  // namespace certfleet::hub::ui
