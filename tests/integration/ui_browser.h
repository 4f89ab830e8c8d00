// UiBrowser: a person's browser against a real hub's web UI, for integration tests — the
// sign-in form's cookie and CSRF token, the session cookie, nothing else (tests/browser
// drives a real chromium). One cookie jar, usable against any hub (several hubs on one
// database share the sessions).
#pragma once

#include <regex>
#include <string>

#include "harness/http_client.h"

namespace certfleet::harness {

class UiBrowser {
 public:
  // A request to `base_url` + `path` with this browser's cookies; keeps the cookies it sets.
  HttpResult Browse(const std::string& base_url, const std::string& method, const std::string& path,
                    const std::string& form = "") {
    HttpRequest request;
    request.method = method;
    request.body = form;
    request.timeout = std::chrono::seconds(20);
    if (!form.empty()) request.headers.push_back("Content-Type: application/x-www-form-urlencoded");
    std::string cookies;
    if (!session_.empty()) cookies = "cf_session=" + session_;
    if (!signin_.empty()) cookies += (cookies.empty() ? "" : "; ") + ("cf_signin=" + signin_);
    if (!cookies.empty()) request.headers.push_back("Cookie: " + cookies);
    HttpResult r = HttpFetch(base_url + path, request);
    static const std::regex kSession("cf_session=([0-9a-f]*);");
    static const std::regex kSignIn("cf_signin=([0-9a-f.]*);");
    std::smatch m;
    if (auto it = r.headers.find("set-cookie"); it != r.headers.end()) {
      if (std::regex_search(it->second, m, kSession)) session_ = m[1];
      if (std::regex_search(it->second, m, kSignIn)) signin_ = m[1];
    }
    return r;
  }

  // Signs in on `base_url` with `token` (cf_ + base64url: nothing to escape); returns the
  // sign-in's status (303 on success).
  long SignIn(const std::string& base_url, const std::string& token) {
    return SignInAcross(base_url, base_url, token);
  }
  // The same, with the form served by `form_base` and posted to `post_base` (a load balancer
  // may send the two requests to different hubs).
  long SignInAcross(const std::string& form_base, const std::string& post_base,
                    const std::string& token) {
    const std::string csrf = CsrfOf(Browse(form_base, "GET", "/ui/login").body);
    return Browse(post_base, "POST", "/ui/login",
                  "csrf_token=" + csrf + "&next=%2Fui%2F&token=" + token)
        .status;
  }

  // True when GET /ui/ on `base_url` shows the dashboard (not the sign-in redirect); sets
  // `csrf` to the page's CSRF token.
  bool SignedInOn(const std::string& base_url, std::string* csrf = nullptr) {
    HttpResult r = Browse(base_url, "GET", "/ui/");
    if (csrf) *csrf = CsrfOf(r.body);
    return r.status == 200;
  }

  static std::string CsrfOf(const std::string& html) {
    static const std::regex kCsrf("name=\"csrf_token\" value=\"([0-9a-f]{64})\"");
    std::smatch m;
    return std::regex_search(html, m, kCsrf) ? std::string(m[1]) : "";
  }

  const std::string& session() const { return session_; }

 private:
  std::string session_;  // cf_session
  std::string signin_;   // cf_signin (the sign-in form's cookie)
};

}  // namespace certfleet::harness
