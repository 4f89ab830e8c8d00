#include "solver/dns01/txt_snapshot.h"

namespace certfleet::solver {

TxtSnapshot::TxtSnapshot(Loader loader, Clock& clock, std::chrono::milliseconds interval)
    : loader_(std::move(loader)), clock_(clock), interval_(interval) {}

TxtSnapshot::~TxtSnapshot() { Stop(); }

Status TxtSnapshot::Start() {
  if (auto loaded = Reload(); !loaded) return loaded;
  thread_ = std::thread([this] { Loop(); });
  return Ok();
}

void TxtSnapshot::Stop() {
  {
    std::lock_guard lock(loop_mu_);
    stopping_ = true;
  }
  loop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TxtSnapshot::Loop() {
  std::unique_lock lock(loop_mu_);
  while (!clock_.WaitFor(lock, loop_cv_, interval_, [this] { return stopping_; })) {
    lock.unlock();
    (void)Reload();  // a failed reload keeps the last records; the loader logs why
    lock.lock();
  }
}

Status TxtSnapshot::Reload() {
  std::lock_guard reload(reload_mu_);
  auto records = loader_();
  if (!records) return Fail(records.error());
  std::map<std::string, std::vector<std::string>, std::less<>> values;
  for (PublishedTxt& record : *records) values[record.label].push_back(std::move(record.value));
  std::unique_lock lock(mu_);
  values_ = std::move(values);
  count_ = records->size();
  return Ok();
}

std::vector<std::string> TxtSnapshot::Lookup(std::string_view label) const {
  std::shared_lock lock(mu_);
  auto it = values_.find(label);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::size_t TxtSnapshot::size() const {
  std::shared_lock lock(mu_);
  return count_;
}

Status ReloadingBoard::Publish(std::string_view key, std::string_view label, std::string_view value,
                               TimePoint expires_at) {
  if (auto published = inner_.Publish(key, label, value, expires_at); !published) return published;
  return snapshot_.Reload();
}

Status ReloadingBoard::Withdraw(std::string_view key) {
  if (auto withdrawn = inner_.Withdraw(key); !withdrawn) return withdrawn;
  return snapshot_.Reload();
}

}  // namespace certfleet::solver
