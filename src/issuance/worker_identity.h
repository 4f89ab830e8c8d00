// WorkerIdentity: the issuance worker's stable id, kept in <data-dir>/worker.id.
//
// Leases on domains name their owner "<worker id>/<slot>" (one slot per worker thread).
// A hub killed mid-order and restarted on the same data dir gets the same id back, so
// each slot re-takes its own leases at once (Store::ClaimDueDomains accepts a lease its
// owner already holds) and resumes the saved orders instead of waiting for the dead
// process's leases to expire.
//
// One process per id: the file stays locked (flock) while the WorkerIdentity lives, so a
// second hub started on the same data dir is refused instead of sharing the id (it would
// take over the first hub's running orders). The lock dies with the process, also on
// SIGKILL. Hubs sharing one database (PostgreSQL replicas) must each have their own data
// dir: never copy worker.id to another hub. Deleting the file gives the hub a fresh id;
// its old leases then simply expire. A damaged file (e.g. a crash while it was first
// written) is replaced by a fresh id for the same reason.
//
// Thread safety: immutable after Acquire. Move-only; the lock is released on destruction.
#pragma once

#include <filesystem>
#include <string>

#include "common/error.h"

namespace certfleet::issuance {

class WorkerIdentity {
 public:
  // Reads (or creates, mode 0600) <data_dir>/worker.id and locks it. kConflict when
  // another live WorkerIdentity (this or another process) holds the file; kIo when the
  // file cannot be opened, read or written.
  static Result<WorkerIdentity> Acquire(const std::filesystem::path& data_dir);

  WorkerIdentity(WorkerIdentity&& other) noexcept;
  WorkerIdentity& operator=(WorkerIdentity&& other) noexcept;
  WorkerIdentity(const WorkerIdentity&) = delete;
  WorkerIdentity& operator=(const WorkerIdentity&) = delete;
  ~WorkerIdentity();

  // "w-" followed by 16 lower-case hex digits.
  const std::string& id() const { return id_; }

 private:
  WorkerIdentity(std::string id, int fd) : id_(std::move(id)), fd_(fd) {}

  std::string id_;
  int fd_ = -1;
};

}  // namespace certfleet::issuance
