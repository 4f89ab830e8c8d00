#include "store/session_book.h"

#include <algorithm>

namespace certfleet::store {
namespace {

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

Status CheckUiSession(const UiSession& session, std::int64_t max_sessions) {
  if (!IsSha256Hex(session.id_sha256)) {
    return Fail(ErrorCode::kInvalidArgument,
                "a UI session is stored under the lower-case hex SHA-256 of its id");
  }
  if (!session.token_sha256.empty() && !IsSha256Hex(session.token_sha256)) {
    return Fail(ErrorCode::kInvalidArgument,
                "a UI session names its token by the lower-case hex SHA-256 of the secret");
  }
  if (session.csrf_token.empty())
    return Fail(ErrorCode::kInvalidArgument, "a UI session needs a CSRF token");
  if (session.expires_at > session.absolute_expiry) {
    return Fail(ErrorCode::kInvalidArgument,
                "a UI session's idle expiry cannot be after its absolute expiry");
  }
  if (max_sessions < 1)
    return Fail(ErrorCode::kInvalidArgument, "the UI session bound must be at least 1");
  return Ok();
}

}  // namespace certfleet::store
