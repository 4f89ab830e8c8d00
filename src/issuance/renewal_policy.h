// Renewal policy: when a certificate should be renewed, and whether a domain's
// configuration still matches the certificate it holds (DESIGN.md pipeline step 8).
//
// Pure functions with the clock passed in (the cert-manager renewaltime.go idea), so
// every rule is tested without servers. Randomness comes in as a seed from the caller,
// which makes the choice reproducible in tests and spread out in production.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace certfleet::issuance {

// What the renewal decision needs to know about one certificate.
struct CertificateTimes {
  TimePoint not_before{};
  TimePoint not_after{};
  // RFC 9773 suggestedWindow, when the CA offers renewal information.
  std::optional<TimePoint> ari_window_start;
  std::optional<TimePoint> ari_window_end;
};

// Certificates shorter-lived than this renew at half their lifetime instead of 2/3,
// so a 6-day certificate still has days of slack for retries.
inline constexpr std::chrono::hours kShortLivedThreshold{24 * 10};

// The hub's promise about warnings: a certificate that has no successor when this much of
// its life is left has been warned about (the expiry scan warns as soon as a renewal fails).
// 14 days, or a third of a shorter lifetime.
Duration WarningHorizon(Duration lifetime);

// The latest renewal point of a certificate, whatever the CA's ARI window says: a day (a
// twelfth of a lifetime under 12 days) before its warning horizon, so that a first attempt
// that fails is warned about by then, with time for retries. 90-day: 15 days left (never
// binding: 2/3 and the CAs' windows lie earlier); 45-day: 15 days left (a third, Let's
// Encrypt's advice); 30-day: 11 days left; 6-day: 2 1/2 days left (half comes first).
TimePoint LatestRenewal(const CertificateTimes& cert);

// An ARI window [start, end] as the hub uses it: the CA's, moved earlier by as much as it
// ends after LatestRenewal (same width, so renewals stay spread). nullopt without a window
// or with an inverted one.
struct RenewalWindow {
  TimePoint start{};
  TimePoint end{};
};
std::optional<RenewalWindow> UsableAriWindow(const CertificateTimes& cert);

// When to renew:
// - with an ARI window (end >= start): a point in UsableAriWindow chosen by `seed`
//   (RFC 9773 §4.2: uniformly at random), but never before `now` — a window that has
//   already begun or passed means "renew now";
// - otherwise at 2/3 of the lifetime (1/2 when the lifetime is under 10 days), or at
//   LatestRenewal when that comes first.
TimePoint RenewAt(const CertificateTimes& cert, TimePoint now, std::uint64_t seed);

// What a certificate was issued for (or an order was started for).
struct IssuanceSpec {
  std::vector<std::string> names;  // primary name first, then SANs
  std::string key_type;            // crypto::KeyTypeName, e.g. "ec-p256"
  std::string profile;             // "" = CA default
};

// True when `desired` (the domain's configuration now) differs from `current` in its
// set of names (order and duplicates ignored), key type or profile: the current
// certificate or running order no longer fits and a new order is needed.
bool NeedsNewOrder(const IssuanceSpec& current, const IssuanceSpec& desired);

}  // namespace certfleet::issuance
