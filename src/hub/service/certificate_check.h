// The checks of a manually uploaded certificate (domains whose issuer is "manual").
//
// Checks, each with an error saying exactly what is wrong (kInvalidArgument):
//   the chain PEM parses ("certificate chain: ..."), the key PEM parses ("private key: ..."),
//   the key matches the leaf, the chain is in order (leaf first, each signed by the next),
//   the leaf is valid now (not expired, not before its start), and its DNS names cover
//   the domain's name and every SAN (a wildcard covers one label).
// Pure apart from OpenSSL; `now` comes from the caller's clock.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "crypto/envelope.h"
#include "store/model.h"

namespace certfleet::hub::service {

// True when the certificate name `pattern` ("shop.example.com", "*.example.com")
// covers `name`.
bool NameCovers(std::string_view pattern, std::string_view name);

// Validates the upload for `domain` and returns the version to store: chain re-encoded
// leaf first, metadata filled, the key sealed with `envelope` and bound to the domain and
// the leaf fingerprint (crypto/sealed_key.h), source kManual.
Result<store::CertificateVersion> ValidateUpload(const store::Domain& domain,
                                                 std::string_view chain_pem,
                                                 std::string_view key_pem, TimePoint now,
                                                 const crypto::Envelope& envelope);

}  // namespace certfleet::hub::service
