// The certificate nginx presents in reload-free mode for a server name this machine has no
// certificate for (no SNI, an unknown name, a name that is not a plain host name): a
// self-signed P-256 certificate for "certfleet-fallback.invalid", so such handshakes end
// in an ordinary "untrusted certificate" instead of a failed file lookup for every client.
// Made once by the agent; it carries no secret worth protecting.
#pragma once

#include <string>

#include "common/error.h"

namespace certfleet::agent {

inline constexpr const char* kFallbackName = "certfleet-fallback.invalid";

// PEM of the certificate followed by its key (PKCS#8), valid from an hour ago for 100 years.
Result<std::string> MakeFallbackBundle();

}  // namespace certfleet::agent
