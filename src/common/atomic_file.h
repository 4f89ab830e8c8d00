// Crash-safe file writes: a reader sees either the old content or the new, never a
// mix, and after a crash the file is either fully old or fully new.
//
// Method: write a temporary file in the same directory, fsync it, rename() it over
// the target, fsync the directory. Used for keys, certificates, tokens and state.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"

namespace certfleet {

// Writes `content` to `path` atomically with permission `mode` (e.g. 0600 for keys;
// the mode is set before any byte is written). The directory must exist.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                           mode_t mode = 0644);

// FileToWrite::group default: the creating process' group.
inline constexpr gid_t kKeepGroup = static_cast<gid_t>(-1);

// Writes several files into one directory so that none is replaced unless all temporary
// files were written (and, with kEach, synced); then renames them in order and (kEach)
// fsyncs the directory once. A crash between renames can leave some files new and some
// old; callers that need a consistent set across crashes keep a manifest (the agent does).
//   kEach: durable when it returns.
//   kDeferred: no fsync at all. Readers never see a partial file, but nothing is durable
//     until the caller's SyncFileSystem: for staging many files that are made durable
//     together, before a record that depends on them is written (on a busy disk each
//     fsync costs a journal commit). Temporary names contain ".tmp-" either way.
struct FileToWrite {
  std::string name;  // a plain file name inside `dir`, no '/'
  std::string content;
  mode_t mode = 0644;
  gid_t group = kKeepGroup;  // set before any byte is written (e.g. nginx's group for a key)
};
enum class FileSync { kEach, kDeferred };
Status WriteFilesAtomically(const std::filesystem::path& dir, const std::vector<FileToWrite>& files,
                            FileSync sync = FileSync::kEach);

// Writes `content` to `path` without a temporary name: into the file already there when it
// is a regular file of this user with one link (its inode and data blocks are reused: no
// inode is allocated or freed, which on ext4 costs more than the write), else into a new file
// (an old one under the name is unlinked first: another link to it keeps its content). Mode
// and group are set before any byte is written; with kEach the file is fsynced. The file is
// removed if writing fails. Only for a staging name nothing trusts until a later sync and
// rename: a reader of `path` itself can see a half-written file (the agent's next/ and
// its spare manifest; docs/design/2026-12-07-agent-reuses-staging-inodes.md).
Status RewriteStagingFile(const std::filesystem::path& path, std::string_view content, mode_t mode,
                          gid_t group = kKeepGroup, FileSync sync = FileSync::kDeferred);

// Swaps two existing names in one atomic step (renameat2 RENAME_EXCHANGE): each keeps
// existing, nothing is freed. False when the file system cannot (EINVAL, ENOSYS) or a name
// is missing (ENOENT): the caller then renames instead. kIo for other failures.
Result<bool> ExchangeNames(const std::filesystem::path& a, const std::filesystem::path& b);

// Reads a whole file; kNotFound if it does not exist, kIo otherwise. `max_bytes`
// guards against reading something huge by mistake.
Result<std::string> ReadFile(const std::filesystem::path& path, size_t max_bytes = 16u << 20);

// fsyncs a directory so a rename inside it is durable.
Status SyncDirectory(const std::filesystem::path& dir);

// syncfs(2) on the file system that holds `path`: every write and rename there is durable
// when it returns. kIo naming the path on failure.
Status SyncFileSystem(const std::filesystem::path& path);

}  // namespace certfleet
