#include "issuance/ca_reachability.h"

#include <algorithm>

namespace certfleet::issuance {

bool IsCaUnreachable(const Error& error) {
  return error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kDeadlineExceeded;
}

CaReachability::CaReachability(ReachabilityOptions options)
    : options_(options), interval_(options.probe_interval) {}

void CaReachability::MarkDown(TimePoint now, const std::string& reason) {
  std::lock_guard lock(mu_);
  last_error_ = reason;
  last_contact_ = now;
  if (down_since_) return;
  if (unconfirmed_up_) interval_ = std::min(interval_ * 2, options_.max_probe_interval);
  unconfirmed_up_ = false;
  down_since_ = now;
  next_probe_ = now + interval_;
}

bool CaReachability::MarkUp(TimePoint /*now*/, bool by_probe) {
  std::lock_guard lock(mu_);
  if (!by_probe) {
    unconfirmed_up_ = false;
    interval_ = options_.probe_interval;
  }
  if (!down_since_) return false;
  down_since_.reset();
  next_probe_.reset();
  last_error_.clear();
  unconfirmed_up_ = by_probe;
  return true;
}

bool CaReachability::ClaimProbe(TimePoint now) {
  std::lock_guard lock(mu_);
  if (!next_probe_ || *next_probe_ > now) return false;
  next_probe_ = now + interval_;
  last_contact_ = now;
  return true;
}

bool CaReachability::ClaimDueProbe(TimePoint now) {
  std::lock_guard lock(mu_);
  if (!down_since_) return false;
  if (last_contact_ && now - *last_contact_ < options_.due_probe_spacing) return false;
  last_contact_ = now;
  return true;
}

void CaReachability::ProbeFailed(TimePoint now, const std::string& reason) {
  std::lock_guard lock(mu_);
  last_error_ = reason;
  last_contact_ = now;
  if (!down_since_) down_since_ = now;
  next_probe_ = now + interval_;
}

bool CaReachability::IsDown() const {
  std::lock_guard lock(mu_);
  return down_since_.has_value();
}

std::optional<TimePoint> CaReachability::NextProbeAt() const {
  std::lock_guard lock(mu_);
  return next_probe_;
}

std::optional<TimePoint> CaReachability::DownSince() const {
  std::lock_guard lock(mu_);
  return down_since_;
}

std::string CaReachability::LastError() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

Duration CaReachability::CurrentProbeInterval() const {
  std::lock_guard lock(mu_);
  return interval_;
}

}  // namespace certfleet::issuance
