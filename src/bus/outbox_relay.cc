#include "bus/outbox_relay.h"

#include <spdlog/spdlog.h>

#include <vector>

#include "bus/backoff.h"
#include "bus/event_message.h"
#include "common/scan_registry.h"

namespace certfleet::bus {

OutboxRelay::OutboxRelay(store::Outbox& store, std::unique_ptr<Publisher> publisher, Clock& clock,
                         RelayOptions options)
    : store_(store), publisher_(std::move(publisher)), clock_(clock), options_(options) {}

OutboxRelay::~OutboxRelay() { Stop(); }

void OutboxRelay::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxRelay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

RelayStatus OutboxRelay::status() const {
  std::lock_guard lock(mu_);
  return status_;
}

void OutboxRelay::WaitForWork(Duration timeout, bool wakeable) {
  std::unique_lock lock(mu_);
  clock_.WaitFor(lock, cv_, timeout, [&] { return stopping_ || (wakeable && woken_); });
  woken_ = false;
}

void OutboxRelay::Run() {
  int failures = 0;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) break;
      woken_ = false;  // this round reads everything committed so far
    }
    if (!Leading()) {
      WaitForWork(options_.poll_interval, /*wakeable=*/false);
      continue;
    }
    auto relayed = RelayOnce();
    if (!relayed) {
      RecordFailure(relayed.error(), ++failures);
      WaitForWork(BackoffDelay(failures, options_.min_backoff, options_.max_backoff),
                  /*wakeable=*/false);
      continue;
    }
    if (failures > 0) RecordSuccess(std::exchange(failures, 0));
    if (*relayed) continue;  // there may be more behind this batch
    publisher_->KeepAlive();
    WaitForWork(options_.poll_interval, /*wakeable=*/true);
  }
  publisher_->Disconnect();
}

bool OutboxRelay::Leading() {
  const bool leading = !options_.is_leader || options_.is_leader();
  std::lock_guard lock(mu_);
  status_.standby = !leading;
  return leading;
}

Result<bool> OutboxRelay::RelayOnce() {
  auto events = store_.ListUnpublishedEvents(options_.batch_size);
  if (!events) return Fail(events.error().WithContext("reading the event outbox"));
  if (events->empty()) {
    RecordScanSuccess("outbox_relay", clock_.Now());
    return false;
  }
  // Messages up to (not including) the first event that must be withheld.
  std::vector<Message> messages;
  std::int64_t withheld = 0;
  for (const store::Event& event : *events) {
    auto message = BuildMessage(event);
    if (!message) {
      spdlog::error("event relay: withholding event {} ({}, id {}): {}", event.revision, event.type,
                    event.id, message.error().message);
      withheld = 1;
      break;
    }
    messages.push_back(std::move(*message));
  }
  PublishOutcome outcome;
  if (!messages.empty()) outcome = publisher_->Publish(messages);
  std::vector<store::Revision> revisions;
  for (std::size_t i = 0; i < outcome.confirmed; ++i) revisions.push_back(messages[i].revision);
  bool all_sent = outcome.status.has_value() && outcome.confirmed == messages.size();
  if (all_sent && withheld > 0)
    revisions.push_back((*events)[messages.size()].revision);
  else
    withheld = 0;
  if (auto s = MarkPublished(revisions, withheld); !s) return Fail(s.error());
  if (!outcome.status) return Fail(outcome.status.error());
  return true;
}

Status OutboxRelay::MarkPublished(const std::vector<store::Revision>& revisions,
                                  std::int64_t withheld) {
  if (revisions.empty()) return Ok();
  if (auto s = store_.MarkEventsPublished(revisions, clock_.Now()); !s) {
    return Fail(s.error().WithContext("marking events published in the outbox"));
  }
  std::lock_guard lock(mu_);
  status_.published += static_cast<std::int64_t>(revisions.size()) - withheld;
  status_.withheld += withheld;
  status_.last_published = std::max(status_.last_published, revisions.back());
  return Ok();
}

void OutboxRelay::RecordFailure(const Error& error, int failures) {
  {
    std::lock_guard lock(mu_);
    status_.healthy = false;
    status_.last_error = error.message;
  }
  if (failures != 1) return;
  // A refused login or vhost is a configuration problem someone must fix: an error,
  // not a warning like an outage.
  const bool config_problem =
      error.code == ErrorCode::kUnauthenticated || error.code == ErrorCode::kPermissionDenied;
  spdlog::log(config_problem ? spdlog::level::err : spdlog::level::warn,
              "event relay: cannot publish to {}: {}; the events stay in the outbox, "
              "retrying with backoff (up to {} ms between attempts)",
              publisher_->Describe(), error.message, options_.max_backoff.count());
}

void OutboxRelay::RecordSuccess(int failures) {
  {
    std::lock_guard lock(mu_);
    status_.healthy = true;
    status_.last_error.clear();
  }
  spdlog::info("event relay: publishing to {} again after {} failed attempt(s)",
               publisher_->Describe(), failures);
}

}  // namespace certfleet::bus
