// TSIG keys (RFC 8945): the shared secret that signs RFC 2136 updates.
//
// A key is named like a DNS name ("acme-key", "certfleet.provider.net") and holds a
// base64 secret, exactly as BIND's `tsig-keygen -a hmac-sha256 NAME` prints it. Only
// HMAC-SHA256 and stronger are accepted (hmac-md5 and hmac-sha1 are refused).
//
// The secret is a credential: it never appears in a message, a log or an event.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/error.h"

namespace certfleet::dns {

struct TsigKey {
  std::string name;                       // canonical DNS name, no trailing dot
  std::string algorithm = "hmac-sha256";  // hmac-sha256, hmac-sha384 or hmac-sha512
  std::string secret;                     // base64 (standard alphabet, with padding)
};

// kInvalidArgument naming what is wrong: the name is not a DNS name, the algorithm is
// not one of the three, or the secret is not base64 of at least 16 bytes. Never quotes
// the secret.
Status ValidateTsigKey(const TsigKey& key);

// The secret from a file: either the bare base64 secret, or the output of BIND's
// tsig-keygen (`key "NAME" { algorithm ...; secret "..."; };`), in which case the
// algorithm (and the name, when `key` carries none) are taken from it too. The file
// must not be readable by group or others (kPermissionDenied naming the file and the
// fix, like the hub's master key).
Status ReadTsigSecretFile(const std::filesystem::path& file, TsigKey* key);

// ldns's name of the algorithm ("hmac-sha256.").
std::string TsigAlgorithmName(const TsigKey& key);

}  // namespace certfleet::dns
