#include "hub/api/body_admission.h"

#include "hub/api/guard.h"

namespace certfleet::hub::api {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

}  // namespace

http::BodyAdmission AdmitBody(ApiContext& ctx, const http::Request& head) {
  if (StartsWith(head.path, "/api/")) {
    auto principal = ctx.auth.Authenticate(head.headers.Get("Authorization"));
    if (!principal) return {.reject = ErrorResponse(principal.error())};
    return {.body_limit = ctx.config.body_limit};
  }
  if (StartsWith(head.path, "/ui/")) {
    const bool signed_in = head.path != "/ui/login" && ctx.ui_signed_in(head);
    return {.body_limit = signed_in ? ctx.config.body_limit : kAnonymousFormLimit};
  }
  return {.reject = http::Response::NotFound(head.method + " " + head.path +
                                             ": request bodies are accepted only under /api/ "
                                             "(with a token) and /ui/")};
}

}  // namespace certfleet::hub::api
