// Unsynced staging writes for CertStore: many files are written and renamed into place
// without an fsync each, then made durable together by ONE SyncFileSystem (syncfs(2))
// before anything that depends on them (a manifest saying "installing") is written.
// On a busy disk every fsync costs a journal commit; an install had 11 of them.
//
// Thread-safe (no shared state). Temporary names contain ".tmp-", which CertStore's
// Repair deletes after a crash.
#pragma once

#include <filesystem>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"

namespace certfleet::agent {

// Writes each file to a temporary name in `dir` (created with its mode, so a key is
// never readable by others) and renames it over its name, in order. NOT durable until
// SyncFileSystem; a crash may leave any mix of old and new files in `dir`, so callers
// only use it for folders no reader trusts without a manifest (archive/*/next).
// kIo naming the file on failure.
Status WriteFilesUnsynced(const std::filesystem::path& dir, const std::vector<FileToWrite>& files);

// syncfs(2) on the file system that holds `path`: every written page and rename there
// is durable when it returns. kIo naming the path on failure.
Status SyncFileSystem(const std::filesystem::path& path);

}  // namespace certfleet::agent
