#include "issuance/renewal_policy.h"

#include <algorithm>
#include <set>

namespace certfleet::issuance {
namespace {

// A point in [start, end] picked by `seed` (millisecond resolution).
TimePoint PointInWindow(TimePoint start, TimePoint end, std::uint64_t seed) {
  const auto span = std::chrono::duration_cast<std::chrono::milliseconds>(end - start).count();
  if (span <= 0) return start;
  const auto offset = seed % (static_cast<std::uint64_t>(span) + 1);
  return start + std::chrono::milliseconds(static_cast<std::int64_t>(offset));
}

TimePoint FractionOfLifetime(const CertificateTimes& cert) {
  const auto lifetime = cert.not_after - cert.not_before;
  // Integer arithmetic on the duration keeps this exact and free of float conversions;
  // 2/3 as (q*3 + r)*2/3 = 2q + 2r/3 so a certificate valid for centuries cannot overflow.
  if (lifetime < kShortLivedThreshold) return cert.not_before + lifetime / 2;
  return cert.not_before + lifetime / 3 * 2 + lifetime % 3 * 2 / 3;
}

}  // namespace

Duration WarningHorizon(Duration lifetime) {
  return std::min<Duration>(std::chrono::days(14), lifetime / 3);
}

TimePoint LatestRenewal(const CertificateTimes& cert) {
  const auto lifetime = std::chrono::duration_cast<Duration>(cert.not_after - cert.not_before);
  const Duration slack = std::min<Duration>(std::chrono::days(1), lifetime / 12);
  return cert.not_after - WarningHorizon(lifetime) - slack;
}

std::optional<RenewalWindow> UsableAriWindow(const CertificateTimes& cert) {
  if (!cert.ari_window_start || !cert.ari_window_end ||
      *cert.ari_window_end < *cert.ari_window_start) {
    return std::nullopt;
  }
  RenewalWindow w{*cert.ari_window_start, *cert.ari_window_end};
  const TimePoint latest = LatestRenewal(cert);
  if (w.end > latest) {
    w.start -= w.end - latest;
    w.end = latest;
  }
  return w;
}

TimePoint RenewAt(const CertificateTimes& cert, TimePoint now, std::uint64_t seed) {
  if (auto w = UsableAriWindow(cert)) return std::max(now, PointInWindow(w->start, w->end, seed));
  return std::min(FractionOfLifetime(cert), LatestRenewal(cert));
}

bool NeedsNewOrder(const IssuanceSpec& current, const IssuanceSpec& desired) {
  const std::set<std::string> current_names(current.names.begin(), current.names.end());
  const std::set<std::string> desired_names(desired.names.begin(), desired.names.end());
  return current_names != desired_names || current.key_type != desired.key_type ||
         current.profile != desired.profile;
}

}  // namespace certfleet::issuance
