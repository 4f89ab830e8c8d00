// ARI refresh (RFC 9773): asks the CA when it wants a stored certificate renewed and
// records the answer on the certificate (Store::UpdateCertificateAri).
#pragma once

#include <optional>
#include <string>

#include "acme/ari.h"
#include "acme/session.h"
#include "common/error.h"
#include "store/certificate_store.h"
#include "store/model.h"

namespace certfleet::issuance {

// The RFC 9773 certificate ID of the stored certificate's leaf (for renewalInfo and the
// newOrder "replaces" member). kInvalidArgument when the leaf has no AKI.
Result<std::string> AriCertificateIdOf(const store::CertificateVersion& cert);

// When the CA advertises renewalInfo: fetches it for `cert`, stores the suggested window
// and the time to ask again, and returns it. nullopt (and no request) when the CA has
// no renewalInfo (Pebble 2.4). Errors name the certificate serial and the step.
Result<std::optional<acme::RenewalInfo>> RefreshRenewalInfo(acme::Session& session,
                                                            store::CertificateStore& store,
                                                            const store::CertificateVersion& cert);

}  // namespace certfleet::issuance
