#include "agent/testing/fake_hub_client.h"

namespace certfleet::agent {

Status FakeHubClient::CheckAvailable() const {
  if (!available_) return Fail(ErrorCode::kUnavailable, "fake hub: offline");
  return Ok();
}

Result<DesiredState> FakeHubClient::GetDesiredState() {
  std::lock_guard lock(mu_);
  ++desired_calls_;
  if (auto s = CheckAvailable(); !s) return Fail(s.error());
  DesiredState state = desired_;
  state.revision = revision_;
  return state;
}

Result<CertificateBundle> FakeHubClient::GetCertificate(CertificateId id) {
  std::lock_guard lock(mu_);
  if (auto s = CheckAvailable(); !s) return Fail(s.error());
  auto it = bundles_.find(id);
  if (it == bundles_.end()) {
    return Fail(ErrorCode::kNotFound, "fake hub: no certificate " + std::to_string(id));
  }
  return it->second;
}

Status FakeHubClient::ReportDeployment(const DeploymentReport& report) {
  std::lock_guard lock(mu_);
  if (auto s = CheckAvailable(); !s) return s;
  reports_.push_back(report);
  return Ok();
}

Result<WatchPage> FakeHubClient::Watch(Revision since, std::chrono::seconds wait) {
  std::unique_lock lock(mu_);
  ++watch_calls_;
  cv_.wait_for(lock, wait, [&] { return !available_ || watch_cancelled_ || revision_ > since; });
  if (watch_cancelled_) return Fail(ErrorCode::kUnavailable, "watch cancelled");
  if (auto s = CheckAvailable(); !s) return Fail(s.error());
  WatchPage page;
  page.revision = std::max(since, revision_);
  for (Revision r = std::max<Revision>(since, 0); r < revision_; ++r) {
    page.event_types.push_back(events_[static_cast<size_t>(r)]);
    if (page.event_types.back() == kRedeployEvent) page.redeploy.push_back("");
  }
  return page;
}

void FakeHubClient::CancelWatch() {
  {
    std::lock_guard lock(mu_);
    watch_cancelled_ = true;
  }
  cv_.notify_all();
}

void FakeHubClient::SetDesiredState(DesiredState state) {
  std::lock_guard lock(mu_);
  desired_ = std::move(state);
}

void FakeHubClient::AddBundle(CertificateBundle bundle) {
  std::lock_guard lock(mu_);
  bundles_[bundle.certificate_id] = std::move(bundle);
}

void FakeHubClient::Publish(std::string type) {
  {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(type));
    ++revision_;
  }
  cv_.notify_all();
}

void FakeHubClient::SetAvailable(bool available) {
  {
    std::lock_guard lock(mu_);
    available_ = available;
  }
  cv_.notify_all();
}

std::vector<DeploymentReport> FakeHubClient::reports() const {
  std::lock_guard lock(mu_);
  return reports_;
}

int FakeHubClient::watch_calls() const {
  std::lock_guard lock(mu_);
  return watch_calls_;
}

int FakeHubClient::desired_calls() const {
  std::lock_guard lock(mu_);
  return desired_calls_;
}

}  // namespace certfleet::agent
