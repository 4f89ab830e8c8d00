// ACME Renewal Information (RFC 9773): when the CA wants a certificate renewed.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "acme/session.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::acme {

// RFC 9773 §4.1: base64url(keyIdentifier of the AKI) "." base64url(serial DER content
// bytes), both without padding. `authority_key_id` and `serial_der` are raw bytes.
// kInvalidArgument when either is empty.
Result<std::string> AriCertificateId(std::string_view authority_key_id,
                                     std::string_view serial_der);
// The same for a certificate; kInvalidArgument when it has no Authority Key Identifier.
Result<std::string> AriCertificateId(const crypto::Certificate& certificate);

// RFC 9773 §4.2 renewalInfo response.
struct RenewalInfo {
  TimePoint window_start;
  TimePoint window_end;
  std::string explanation_url;          // "" when absent
  std::optional<Duration> retry_after;  // when to ask again (§4.3)
};

// Fuzz entry point: parses a renewalInfo body. kProtocol when suggestedWindow is
// missing, not RFC 3339, or end < start.
Result<RenewalInfo> ParseRenewalInfo(std::string_view body);

// GETs renewalInfo/<certificate_id> (unauthenticated, §4.2). kNotFound (kInvalidArgument
// naming the CA) when the directory has no renewalInfo URL.
Result<RenewalInfo> FetchRenewalInfo(Session& session, std::string_view certificate_id);

}  // namespace certfleet::acme
