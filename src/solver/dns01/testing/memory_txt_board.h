// MemoryTxtBoard: a DelegatedTxtBoard in memory that is also the responder's TxtSource,
// for tests of the delegation pieces without a store. Thread-safe (one mutex).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "dns/responder/zone_answer.h"
#include "solver/dns01/delegation.h"

namespace certfleet::solver::testing {

class MemoryTxtBoard final : public DelegatedTxtBoard, public dns::TxtSource {
 public:
  Status Publish(std::string_view key, std::string_view label, std::string_view value,
                 TimePoint) override {
    std::lock_guard lock(mu_);
    if (fail_publish_) return Fail(ErrorCode::kUnavailable, "the store is down");
    records_[std::string(key)] = {std::string(label), std::string(value)};
    ++published_;
    return Ok();
  }
  Status Withdraw(std::string_view key) override {
    std::lock_guard lock(mu_);
    records_.erase(std::string(key));
    return Ok();
  }
  std::vector<std::string> Lookup(std::string_view label) const override {
    std::lock_guard lock(mu_);
    std::vector<std::string> values;
    for (const auto& [key, record] : records_) {
      if (record.first == label) values.push_back(record.second);
    }
    return values;
  }
  std::size_t size() const {
    std::lock_guard lock(mu_);
    return records_.size();
  }
  int published() const {
    std::lock_guard lock(mu_);
    return published_;
  }
  void FailPublish(bool fail) {
    std::lock_guard lock(mu_);
    fail_publish_ = fail;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> records_;  // key → label, value
  int published_ = 0;
  bool fail_publish_ = false;
};

}  // namespace certfleet::solver::testing
