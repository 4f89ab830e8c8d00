// TxtSnapshot: the delegated zone's TXT records in memory, for the hub's DNS responder
// (a dns::TxtSource). The responder's hot path never touches the store: the snapshot is
// reloaded from the store every `interval` (records published by another hub appear
// within it) and at once when this hub publishes or withdraws (ReloadingBoard below).
// A reload that fails keeps the previous records and is logged by the caller's loader.
//
// Thread safety: Lookup from any number of threads; Reload from any thread (reloads are
// serialized); Start/Stop once.
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "dns/responder/zone_answer.h"
#include "solver/dns01/delegation.h"

namespace certfleet::solver {

struct PublishedTxt {
  std::string label;
  std::string value;
};

class TxtSnapshot final : public dns::TxtSource {
 public:
  // Every unexpired record of the delegated zone, now.
  using Loader = std::function<Result<std::vector<PublishedTxt>>()>;

  // `clock` (which times the reloads) must outlive the snapshot.
  TxtSnapshot(Loader loader, Clock& clock, std::chrono::milliseconds interval);
  ~TxtSnapshot() override;  // Stop()

  // Loads once, then keeps reloading on a thread every `interval`.
  Status Start();
  void Stop();
  // Loads now (after a local change, so this hub answers it at once).
  Status Reload();

  std::vector<std::string> Lookup(std::string_view label) const override;
  std::size_t size() const;

 private:
  void Loop();

  const Loader loader_;
  Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::mutex reload_mu_;  // one reload at a time
  mutable std::shared_mutex mu_;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;  // label → values
  std::size_t count_ = 0;
  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread thread_;
};

// A DelegatedTxtBoard that passes every change on to `inner` (the store) and then reloads
// `snapshot`, so the local responder answers a new record before Publish returns.
class ReloadingBoard final : public DelegatedTxtBoard {
 public:
  ReloadingBoard(DelegatedTxtBoard& inner, TxtSnapshot& snapshot)
      : inner_(inner), snapshot_(snapshot) {}
  Status Publish(std::string_view key, std::string_view label, std::string_view value,
                 TimePoint expires_at) override;
  Status Withdraw(std::string_view key) override;

 private:
  DelegatedTxtBoard& inner_;
  TxtSnapshot& snapshot_;
};

}  // namespace certfleet::solver
