// CaReachability: whether an issuer's CA answers, and when to look again while it does not.
//
// A job that fails because the CA could not be reached (IsCaUnreachable: connection
// refused, timeout, 5xx) marks the CA down — once a probe confirms it: a database that
// does not answer fails a job with the same codes, and must not be blamed on the CA. While it is down, the worker does not send
// every due domain's order into the void: jobs of that issuer fail at once, and the
// worker probes the CA (GET directory, HEAD newNonce) every probe interval. When a probe
// or any request gets an answer again, MarkUp says so once, and the worker wakes the
// issuer's failed domains at once (IssuanceLedger::ExpediteRetries), so a certificate
// with life left is renewed within one probe interval of the CA's return instead of at
// its next backoff time (issue 20).
//
// The probe interval (30 s by default) must not decide alone: a short-lived certificate
// whose renewal failed is retried sooner (RetryPolicy's cap by the remaining life), and a
// retry that finds the CA marked down would fail blind until the next probe — a 60-second
// Pebble certificate expired that way with the CA back for 28 s. So a domain that comes due
// while its CA is down probes it itself (ClaimDueProbe, at most once per due_probe_spacing
// for the issuer); if the CA answers, that one domain's job runs for real, and its success
// ends the outage. One job, not a wake-up of every failed domain: a CDN that answers the
// directory while the API is down costs one failed order per spacing, not a storm.
//
// A CA that goes down again before any order went through after a probe said it was back
// (a CDN answering the directory while the API is down) doubles the probe interval, up
// to max_probe_interval, so the failed domains are not woken into the same wall every
// probe. A real answer to a job resets it.
//
// Thread-safe. Time comes in as a parameter.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/error.h"

namespace certfleet::issuance {

// True for failures that mean "the CA did not answer": the request never reached it,
// timed out, or it answered 5xx (kUnavailable includes serverInternal problems).
bool IsCaUnreachable(const Error& error);

struct ReachabilityOptions {
  Duration probe_interval{std::chrono::seconds(30)};
  Duration max_probe_interval{std::chrono::minutes(10)};
  // Probes by domains that came due while the CA is down: at most one per this spacing.
  Duration due_probe_spacing{std::chrono::seconds(5)};
};

class CaReachability {
 public:
  explicit CaReachability(ReachabilityOptions options = {});

  // A request to the CA failed as unreachable at `now` with `reason`.
  void MarkDown(TimePoint now, const std::string& reason);
  // The CA answered at `now` (`by_probe`: only the probe's cheap requests did). Returns
  // true when this ends an outage: the caller wakes the domains that failed during it.
  bool MarkUp(TimePoint now, bool by_probe);
  // True when a probe is due at `now`; the caller then probes, and the next probe is moved
  // a probe interval on at once, so concurrent callers probe once.
  bool ClaimProbe(TimePoint now);
  // A domain came due at `now` while the CA is down: true when it may probe the CA itself
  // (the last probe or failed request is at least due_probe_spacing ago; concurrent callers
  // get one true). False while the CA is up.
  bool ClaimDueProbe(TimePoint now);
  // A probe at `now` got no answer: the next one waits a probe interval.
  void ProbeFailed(TimePoint now, const std::string& reason);

  bool IsDown() const;
  // When the next probe is due; nullopt while the CA is up.
  std::optional<TimePoint> NextProbeAt() const;
  // For messages: since when the CA is down and the last reason ("" while up).
  std::optional<TimePoint> DownSince() const;
  std::string LastError() const;
  Duration CurrentProbeInterval() const;

 private:
  const ReachabilityOptions options_;
  mutable std::mutex mu_;
  std::optional<TimePoint> down_since_;
  std::optional<TimePoint> next_probe_;
  std::optional<TimePoint> last_contact_;  // the last probe or failed request while down
  std::string last_error_;
  Duration interval_;
  bool unconfirmed_up_ = false;  // up by a probe; no job has gone through since
};

}  // namespace certfleet::issuance
