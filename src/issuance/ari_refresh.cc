#include "issuance/ari_refresh.h"

#include "crypto/x509.h"
#include "issuance/ari_schedule.h"

namespace certfleet::issuance {

Result<std::string> AriCertificateIdOf(const store::CertificateVersion& cert) {
  auto chain = crypto::ParsePemChain(cert.chain_pem);
  if (!chain) return Fail(chain.error().WithContext("certificate " + cert.serial));
  return acme::AriCertificateId(chain->front());
}

Result<std::optional<acme::RenewalInfo>> RefreshRenewalInfo(acme::Session& session,
                                                            store::CertificateStore& store,
                                                            const store::CertificateVersion& cert) {
  if (session.directory().renewal_info.empty()) return std::optional<acme::RenewalInfo>();
  const std::string context = "certificate " + cert.serial + ": refreshing renewal information";
  auto id = AriCertificateIdOf(cert);
  if (!id) return Fail(id.error().WithContext(context));
  auto info = acme::FetchRenewalInfo(session, *id);
  if (!info) return Fail(info.error().WithContext(context));
  // The time to ask again: the CA's Retry-After, clamped (ari_schedule.h).
  const TimePoint ask_again = AriAskAgainAt(session.clock().Now(), info->retry_after);
  auto stored =
      store.UpdateCertificateAri(cert.id, info->window_start, info->window_end, ask_again);
  if (!stored) return Fail(stored.error().WithContext(context));
  return std::optional<acme::RenewalInfo>(std::move(*info));
}

}  // namespace certfleet::issuance
