#include "store/acme_account_book.h"

namespace certfleet::store {

Status CheckAcmeAccount(const AcmeAccount& account) {
  if (account.directory_url.empty())
    return Fail(ErrorCode::kInvalidArgument, "an ACME account needs the CA's directory URL");
  if (account.directory_url.size() > 2048)
    return Fail(ErrorCode::kInvalidArgument, "an ACME directory URL has at most 2048 bytes");
  if (account.sealed_key.empty())
    return Fail(ErrorCode::kInvalidArgument, "an ACME account needs its sealed key");
  return Ok();
}

}  // namespace certfleet::store
