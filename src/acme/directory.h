// The ACME directory (RFC 8555 §7.1.1): the URLs of every resource and the CA's meta.
//
// Fetched once per Session; immutable afterwards.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "net/http_transport.h"

namespace certfleet::acme {

struct Directory {
  std::string new_nonce;
  std::string new_account;
  std::string new_order;
  std::string new_authz;  // optional in RFC 8555; "" when absent
  std::string revoke_cert;
  std::string key_change;
  std::string renewal_info;  // RFC 9773 §4; "" when the CA has no ARI

  // §7.1.1 "meta" (all optional).
  std::string terms_of_service;
  std::string website;
  std::vector<std::string> caa_identities;
  bool external_account_required = false;
  // ACME profiles (draft-aaron-acme-profiles): profile name → description.
  std::map<std::string, std::string> profiles;
};

// Parses a directory document. Fuzz entry point: never throws, any input gives a
// Directory or a kProtocol error naming the missing or malformed member.
// newNonce, newAccount and newOrder are required; every URL must be http(s).
Result<Directory> ParseDirectory(std::string_view body);

// GETs and parses the directory at `url`. Errors say which step failed and the URL.
Result<Directory> FetchDirectory(net::HttpTransport& transport, const std::string& url);

}  // namespace certfleet::acme
