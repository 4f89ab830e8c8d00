// FakeInventoryClient: an in-memory hub for the discovery tests. Records reports, uploads
// and declines; answers the uploads set with Want(). Thread-safe.
#pragma once

#include <mutex>

#include "agent/discovery/inventory_client.h"

namespace certfleet::agent::discovery {

class FakeInventoryClient final : public InventoryClient {
 public:
  struct Sent {
    std::int64_t id = 0;
    std::string chain_pem;  // uploads
    std::string key_pem;
    std::string reason;  // declines
  };

  Result<std::vector<UploadWanted>> Report(const Inventory& inventory) override {
    std::lock_guard lock(mu_);
    if (!available_) return Fail(ErrorCode::kUnavailable, "hub down");
    reports_.push_back(inventory);
    return wanted_;
  }
  Result<std::vector<UploadWanted>> PendingUploads() override {
    std::lock_guard lock(mu_);
    ++polls_;
    return wanted_;
  }
  Status Upload(std::int64_t id, const std::string& chain_pem,
                const std::string& key_pem) override {
    std::lock_guard lock(mu_);
    sent_.push_back({id, chain_pem, key_pem, ""});
    Done(id);
    return Ok();
  }
  Status DeclineUpload(std::int64_t id, const std::string& reason) override {
    std::lock_guard lock(mu_);
    sent_.push_back({id, "", "", reason});
    Done(id);
    return Ok();
  }

  void Want(UploadWanted w) {
    std::lock_guard lock(mu_);
    wanted_.push_back(std::move(w));
  }
  void SetAvailable(bool available) {
    std::lock_guard lock(mu_);
    available_ = available;
  }
  std::vector<Inventory> reports() const {
    std::lock_guard lock(mu_);
    return reports_;
  }
  std::vector<Sent> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  int polls() const {
    std::lock_guard lock(mu_);
    return polls_;
  }

 private:
  void Done(std::int64_t id) {
    std::erase_if(wanted_, [id](const UploadWanted& w) { return w.id == id; });
  }

  mutable std::mutex mu_;
  bool available_ = true;
  std::vector<UploadWanted> wanted_;
  std::vector<Inventory> reports_;
  std::vector<Sent> sent_;
  int polls_ = 0;
};

}  // namespace certfleet::agent::discovery
