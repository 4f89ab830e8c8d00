#include "issuance/worker_identity.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "common/encoding.h"
#include "crypto/hash.h"

namespace certfleet::issuance {
namespace {

constexpr size_t kIdHexDigits = 16;

bool IsValidId(const std::string& id) {
  if (id.size() != 2 + kIdHexDigits || id.rfind("w-", 0) != 0) return false;
  return id.find_first_not_of("0123456789abcdef", 2) == std::string::npos;
}

Error IoError(const std::filesystem::path& path, const std::string& step) {
  return Error{ErrorCode::kIo, step + " " + path.string() + ": " + std::strerror(errno)};
}

Result<std::string> ReadId(int fd, const std::filesystem::path& path) {
  char buffer[64] = {};
  const ssize_t n = ::pread(fd, buffer, sizeof(buffer) - 1, 0);
  if (n < 0) return Fail(IoError(path, "reading the worker id from"));
  std::string text(buffer, static_cast<size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// Written in place (not renamed over), so the lock held on this inode stays meaningful.
Status WriteId(int fd, const std::filesystem::path& path, const std::string& id) {
  const std::string line = id + "\n";
  if (::ftruncate(fd, 0) != 0) return Fail(IoError(path, "truncating"));
  if (::pwrite(fd, line.data(), line.size(), 0) != static_cast<ssize_t>(line.size())) {
    return Fail(IoError(path, "writing the worker id to"));
  }
  if (::fsync(fd) != 0) return Fail(IoError(path, "syncing"));
  return Ok();
}

}  // namespace

Result<WorkerIdentity> WorkerIdentity::Acquire(const std::filesystem::path& data_dir) {
  const std::filesystem::path path = data_dir / "worker.id";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(IoError(path, "opening"));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const bool busy = errno == EWOULDBLOCK;
    Error error =
        busy ? Error{ErrorCode::kConflict,
                     path.string() + " is locked: another certfleet-hub runs on data dir " +
                         data_dir.string() + "; stop it or give this hub its own data dir"}
             : IoError(path, "locking");
    ::close(fd);
    return Fail(error);
  }
  WorkerIdentity identity("", fd);  // closes fd on every early return below
  auto id = ReadId(fd, path);
  if (!id) return Fail(id.error());
  if (!IsValidId(*id)) {
    *id = "w-" + HexEncode(crypto::RandomBytes(kIdHexDigits / 2));
    if (auto written = WriteId(fd, path, *id); !written) return Fail(written.error());
  }
  identity.id_ = std::move(*id);
  return identity;
}

WorkerIdentity::WorkerIdentity(WorkerIdentity&& other) noexcept
    : id_(std::move(other.id_)), fd_(std::exchange(other.fd_, -1)) {}

WorkerIdentity& WorkerIdentity::operator=(WorkerIdentity&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    id_ = std::move(other.id_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

WorkerIdentity::~WorkerIdentity() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

}  // namespace certfleet::issuance
