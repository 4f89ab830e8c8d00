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

// When to renew:
// - with an ARI window (end >= start): a point in [start, end] chosen by `seed`
//   (RFC 9773 §4.2: uniformly at random), but never before `now` — a window that has
//   already begun or passed means "renew now";
// - otherwise at 2/3 of the lifetime (1/2 when the lifetime is under 10 days).
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
