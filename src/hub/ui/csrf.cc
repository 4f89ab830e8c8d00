#include "hub/ui/csrf.h"

#include "crypto/hash.h"

namespace certfleet::hub::ui {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A cookie value from one Cookie header: "a=1; cf_session=abc; b=2".
std::string FindCookie(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    const std::string_view pair = Trim(header.substr(0, semi));
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
      return std::string(pair.substr(eq + 1));
    }
  }
  return "";
}

}  // namespace

Status CheckSameOrigin(const http::Request& request) {
  if (request.headers.Get("Sec-Fetch-Site").value_or("") == "cross-site") {
    return Fail(ErrorCode::kPermissionDenied, "cross-site request refused");
  }
  const auto origin = request.headers.Get("Origin");
  const auto host = request.headers.Get("Host");
  if (!origin || !host || *origin == "null") return Ok();
  if (*origin == "http://" + std::string(*host) || *origin == "https://" + std::string(*host)) {
    return Ok();
  }
  return Fail(ErrorCode::kPermissionDenied,
              "cross-origin request refused (Origin " + std::string(*origin) + ")");
}

std::string CookieValue(const http::Request& request, std::string_view name) {
  for (const auto& [field, value] : request.headers.fields()) {
    if (!http::EqualsIgnoreCase(field, "Cookie")) continue;
    if (std::string found = FindCookie(value, name); !found.empty()) return found;
  }
  return "";
}

bool CameOverHttps(const http::Request& request) {
  auto proto = request.headers.Get("X-Forwarded-Proto");
  return proto && http::EqualsIgnoreCase(*proto, "https");
}

std::string SessionCookie(std::string_view id, Duration max_age, bool secure) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(max_age).count();
  return std::string(kSessionCookie) + "=" + std::string(id) + "; Path=/ui; HttpOnly; " +
         (secure ? "Secure; " : "") + "SameSite=Strict; Max-Age=" + std::to_string(seconds);
}

std::string ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/ui; HttpOnly; " + (secure ? "Secure; " : "") +
         "SameSite=Strict; Max-Age=0";
}

Status CheckCsrf(const http::Request& request, const FormValues& form, const Session& session) {
  if (auto s = CheckSameOrigin(request); !s) return s;
  std::string presented(request.headers.Get(kCsrfHeader).value_or(""));
  if (presented.empty()) presented = form.Get(kCsrfField);
  if (presented.empty()) {
    return Fail(ErrorCode::kPermissionDenied,
                "the request carried no CSRF token; reload the page and submit the form again");
  }
  if (session.csrf_token.empty() || !crypto::ConstantTimeEqual(presented, session.csrf_token)) {
    return Fail(ErrorCode::kPermissionDenied,
                "the form's CSRF token does not match your session (it may have expired); "
                "reload the page and submit the form again");
  }
  return Ok();
}

}  // namespace certfleet::hub::ui
