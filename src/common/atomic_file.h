// Crash-safe file writes: a reader sees either the old content or the new, never a
// mix, and after a crash the file is either fully old or fully new.
//
// Method: write a temporary file in the same directory, fsync it, rename() it over
// the target, fsync the directory. Used for keys, certificates, tokens and state.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "common/error.h"

namespace certfleet {

// Writes `content` to `path` atomically with permission `mode` (e.g. 0600 for keys;
// the mode is set before any byte is written). The directory must exist.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view content,
                           mode_t mode = 0644);

// Writes several files into one directory so that none is replaced unless all temporary
// files were written and synced; then renames them in order and fsyncs the directory
// once. A crash between renames can leave some files new and some old; callers that need
// a consistent set across crashes keep a manifest (the agent does).
struct FileToWrite {
  std::string name;  // a plain file name inside `dir`, no '/'
  std::string content;
  mode_t mode = 0644;
};
Status WriteFilesAtomically(const std::filesystem::path& dir, const std::vector<FileToWrite>& files);

// Reads a whole file; kNotFound if it does not exist, kIo otherwise. `max_bytes`
// guards against reading something huge by mistake.
Result<std::string> ReadFile(const std::filesystem::path& path, size_t max_bytes = 16u << 20);

// fsyncs a directory so a rename inside it is durable.
Status SyncDirectory(const std::filesystem::path& dir);

}  // namespace certfleet
