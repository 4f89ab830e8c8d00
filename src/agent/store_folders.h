// The folders of the agent's CertStore (cert_store.h): made with the mode they need, removed
// in one rename, and cleaned of what a killed write left behind. The caller names the paths;
// nothing here knows the layout.
#pragma once

#include <sys/types.h>

#include <filesystem>

#include "common/error.h"

namespace certfleet::agent {

// `dir` and any missing parent, then `dir` made 0700.
Status EnsurePrivateDir(const std::filesystem::path& dir);

// A 0700 folder whose parent normally exists: one mkdir when it is there already. A folder
// made by someone else keeps its mode.
Status EnsurePrivateChild(const std::filesystem::path& dir);

// A folder nginx's workers must reach (reload-free mode): 0750 and owned by `group`, checked
// on every call (one stat when already right).
Status EnsureSharedDir(const std::filesystem::path& dir, gid_t group);

// Deletes the temporary files (".tmp-" in the name) a killed write left in `dir`.
void RemoveTempFiles(const std::filesystem::path& dir);

// Replaces `dir` by nothing in one rename (a crash never leaves half a folder under its
// real name), syncs its parent, then deletes the renamed tree. Ok if `dir` does not exist.
Status RemoveTree(const std::filesystem::path& dir);

// Deletes the ".<name>.removed" folders a crash in RemoveTree left in `dir`.
void RemoveTrash(const std::filesystem::path& dir);

}  // namespace certfleet::agent
