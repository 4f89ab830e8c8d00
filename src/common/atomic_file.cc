#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc ≥ 2.28)
#include <cstring>
#include <fstream>
#include <random>

namespace certfleet {
namespace {

Error IoError(const std::filesystem::path& path, std::string_view what, int err) {
  return Error{ErrorCode::kIo, std::string(what) + " " + path.string() + ": " + std::strerror(err)};
}

std::string TempSuffix() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  return ".tmp-" + std::to_string(getpid()) + "-" + std::to_string(rng() % 1'000'000'000);
}

Status WriteAll(int fd, std::string_view content, const std::filesystem::path& path) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(IoError(path, "cannot write", errno));
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// Writes `content` into the open file `fd` at `path` and closes it: group and mode first (the
// umask, or an old file's mode, must neither loosen nor tighten what the caller asked for, and
// must not expose the new content), then the bytes from offset 0, a longer old tail cut, and
// (with `sync`) an fsync. `old` is the file's state when it was already there: what matches is
// not set again. Removes the file on failure.
Status FillFile(int fd, const std::filesystem::path& path, std::string_view content, mode_t mode,
                bool sync, gid_t group, const struct stat* old = nullptr) {
  Status status = Ok();
  if (group != kKeepGroup && !(old && old->st_gid == group) &&
      ::fchown(fd, static_cast<uid_t>(-1), group) != 0) {
    status = Fail(IoError(path, "cannot give group " + std::to_string(group) + " to", errno));
  }
  if (status && !(old && (old->st_mode & 07777) == mode) && ::fchmod(fd, mode) != 0)
    status = Fail(IoError(path, "cannot chmod", errno));
  if (status) status = WriteAll(fd, content, path);
  // Writing over the old bytes and cutting only a longer tail keeps the data blocks.
  if (status && old && static_cast<size_t>(old->st_size) > content.size() &&
      ::ftruncate(fd, static_cast<off_t>(content.size())) != 0) {
    status = Fail(IoError(path, "cannot truncate", errno));
  }
  if (status && sync && ::fsync(fd) != 0) status = Fail(IoError(path, "cannot fsync", errno));
  if (::close(fd) != 0 && status) status = Fail(IoError(path, "cannot close", errno));
  if (!status) ::unlink(path.c_str());
  return status;
}

// Opens `path` with O_WRONLY | O_CREAT | `flags` and fills it (FillFile).
Status WriteNewFile(const std::filesystem::path& path, int flags, std::string_view content,
                    mode_t mode, bool sync, gid_t group = kKeepGroup) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | flags, mode);
  if (fd < 0) return Fail(IoError(path, "cannot create", errno));
  return FillFile(fd, path, content, mode, sync, group);
}

// Creates, writes and (with `sync`) fsyncs a temporary file; returns its path. Removes it
// on failure.
Result<std::filesystem::path> WriteTemp(const std::filesystem::path& path, std::string_view content,
                                        mode_t mode, bool sync = true, gid_t group = kKeepGroup) {
  std::filesystem::path temp = path;
  temp += TempSuffix();
  if (auto s = WriteNewFile(temp, O_EXCL, content, mode, sync, group); !s) return Fail(s.error());
  return temp;
}

// Opens the directory `dir` and runs `sync_call` (fsync or syncfs) on it.
Status SyncThroughDirectory(const std::filesystem::path& dir, int (*sync_call)(int),
                            std::string_view open_what, std::string_view sync_what) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(IoError(dir, open_what, errno));
  const int rc = sync_call(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Fail(IoError(dir, sync_what, err));
  return Ok();
}

}  // namespace

Status SyncDirectory(const std::filesystem::path& dir) {
  return SyncThroughDirectory(dir, ::fsync, "cannot open directory", "cannot fsync directory");
}

Status RewriteStagingFile(const std::filesystem::path& path, std::string_view content, mode_t mode,
                          gid_t group, FileSync sync) {
  const bool each = sync == FileSync::kEach;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0 && errno != ENOENT && errno != ELOOP) return Fail(IoError(path, "cannot open", errno));
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
      st.st_uid == ::geteuid()) {
    return FillFile(fd, path, content, mode, each, group, &st);
  }
  // Missing, a symlink (never written through), shared with another name or not ours: a new
  // file under the name, the old one left as it is.
  if (fd >= 0) ::close(fd);
  ::unlink(path.c_str());
  return WriteNewFile(path, O_EXCL, content, mode, each, group);
}

Result<bool> ExchangeNames(const std::filesystem::path& a, const std::filesystem::path& b) {
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return true;
  if (errno == EINVAL || errno == ENOSYS || errno == ENOENT) return false;
  return Fail(ErrorCode::kIo,
              "cannot exchange " + a.string() + " and " + b.string() + ": " + std::strerror(errno));
}

Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                           mode_t mode) {
  auto temp = WriteTemp(path, content, mode);
  if (!temp) return Fail(temp.error());
  if (::rename(temp->c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp->c_str());
    return Fail(IoError(path, "cannot rename into place", err));
  }
  return SyncDirectory(path.parent_path());
}

Status SyncFileSystem(const std::filesystem::path& path) {
  return SyncThroughDirectory(path, ::syncfs, "cannot open", "cannot sync the file system of");
}

Status WriteFilesAtomically(const std::filesystem::path& dir, const std::vector<FileToWrite>& files,
                            FileSync sync) {
  const bool each = sync == FileSync::kEach;
  std::vector<std::filesystem::path> temps;
  auto remove_temps = [&temps] {
    for (const auto& t : temps) ::unlink(t.c_str());
  };
  for (const auto& file : files) {
    if (file.name.empty() || file.name.find('/') != std::string::npos) {
      remove_temps();
      return Fail(ErrorCode::kInvalidArgument, "bad file name \"" + file.name + "\"");
    }
    auto temp = WriteTemp(dir / file.name, file.content, file.mode, each, file.group);
    if (!temp) {
      remove_temps();
      return Fail(temp.error());
    }
    temps.push_back(*temp);
  }
  for (size_t i = 0; i < files.size(); ++i) {
    if (::rename(temps[i].c_str(), (dir / files[i].name).c_str()) != 0) {
      const int err = errno;
      for (size_t j = i; j < temps.size(); ++j) ::unlink(temps[j].c_str());
      return Fail(IoError(dir / files[i].name, "cannot rename into place", err));
    }
  }
  return each ? SyncDirectory(dir) : Ok();
}

Result<std::string> ReadFile(const std::filesystem::path& path, size_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) {
      return Fail(ErrorCode::kNotFound, "file " + path.string() + " does not exist");
    }
    return Fail(ErrorCode::kIo, "cannot read " + path.string() + ": " + ec.message());
  }
  if (size > max_bytes) {
    return Fail(ErrorCode::kInvalidArgument, "file " + path.string() + " is larger than " +
                                                 std::to_string(max_bytes) + " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Fail(ErrorCode::kIo, "cannot open " + path.string() + ": " + std::strerror(errno));
  std::string content(static_cast<size_t>(size), '\0');
  in.read(content.data(), static_cast<std::streamsize>(size));
  if (!in) return Fail(ErrorCode::kIo, "cannot read " + path.string());
  return content;
}

}  // namespace certfleet
