#include "agent/store_folders.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // rename
#include <cstring>
#include <system_error>

#include "common/atomic_file.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;

constexpr mode_t kPrivateDirMode = 0700;
constexpr mode_t kSharedDirMode = 0750;
constexpr const char* kRemovedSuffix = ".removed";

}  // namespace

Status EnsurePrivateDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return Fail(ErrorCode::kIo, "cannot create directory " + dir.string() + ": " + ec.message());
  if (::chmod(dir.c_str(), kPrivateDirMode) != 0) {
    return Fail(ErrorCode::kIo, "cannot chmod directory " + dir.string());
  }
  return Ok();
}

// EnsurePrivateDir for a folder whose parent exists: one mkdir when it exists already (every
// install but the first), instead of a stat and a chmod (issue 4: a syscall costs several
// µs in a VM, and a fan-out runs hundreds of installs on two cores). A folder we did not
// create keeps its mode; the agent creates all of its own 0700.
Status EnsurePrivateChild(const fs::path& dir) {
  if (::mkdir(dir.c_str(), kPrivateDirMode) == 0) {
    if (::chmod(dir.c_str(), kPrivateDirMode) == 0) return Ok();  // the umask must not loosen it
    return Fail(ErrorCode::kIo,
                "cannot chmod directory " + dir.string() + ": " + std::strerror(errno));
  }
  if (errno == EEXIST) return Ok();
  if (errno == ENOENT) return EnsurePrivateDir(dir);  // a parent is missing (e.g. archive/ deleted)
  return Fail(ErrorCode::kIo,
              "cannot create directory " + dir.string() + ": " + std::strerror(errno));
}

// A folder nginx's workers must reach in reload-free mode: 0750, owned by `group`. Checked
// on every install (one stat when already right), because an operator's chmod or a folder
// made before reload-free mode was switched on would make every handshake fail.
Status EnsureSharedDir(const fs::path& dir, gid_t group) {
  if (::mkdir(dir.c_str(), kSharedDirMode) != 0 && errno != EEXIST) {
    if (errno == ENOENT) {
      std::error_code ec;
      fs::create_directories(dir.parent_path(), ec);
      if (::mkdir(dir.c_str(), kSharedDirMode) != 0 && errno != EEXIST)
        return Fail(ErrorCode::kIo,
                    "cannot create directory " + dir.string() + ": " + std::strerror(errno));
    } else {
      return Fail(ErrorCode::kIo,
                  "cannot create directory " + dir.string() + ": " + std::strerror(errno));
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0)
    return Fail(ErrorCode::kIo, "cannot stat " + dir.string() + ": " + std::strerror(errno));
  if (st.st_gid != group && ::chown(dir.c_str(), static_cast<uid_t>(-1), group) != 0) {
    return Fail(ErrorCode::kIo, "cannot give " + dir.string() + " to group " +
                                    std::to_string(group) + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 07777) != kSharedDirMode && ::chmod(dir.c_str(), kSharedDirMode) != 0)
    return Fail(ErrorCode::kIo, "cannot chmod directory " + dir.string());
  return Ok();
}

// Deletes temporary files a killed WriteFilesAtomically left behind in `dir`.
void RemoveTempFiles(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().find(".tmp-") != std::string::npos) {
      fs::remove(entry.path(), ec);
    }
  }
}

// Replaces `dir` by nothing in one rename (so a crash never leaves half a folder
// under its real name), then deletes the renamed tree.
Status RemoveTree(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return Ok();
  fs::path trash = dir.parent_path() / ("." + dir.filename().string() + kRemovedSuffix);
  fs::remove_all(trash, ec);
  if (::rename(dir.c_str(), trash.c_str()) != 0) {
    return Fail(ErrorCode::kIo, "cannot remove " + dir.string() + " (rename failed)");
  }
  if (auto s = SyncDirectory(dir.parent_path()); !s) return s;
  fs::remove_all(trash, ec);
  return Ok();
}

// Deletes the ".<name>.removed" folders a crash in RemoveTree left behind.
void RemoveTrash(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.ends_with(kRemovedSuffix)) {
      fs::remove_all(entry.path(), ec);
    }
  }
}

}  // namespace certfleet::agent
