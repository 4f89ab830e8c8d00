// Reading files someone else's configuration names (nginx's, certbot's), telling "missing"
// from "unreadable" from "a link to nothing".
//
// Both calls follow symbolic links (certbot's live/ files are links into archive/), refuse
// anything but regular files, and map errno to codes a report can show:
//   kNotFound          the file (or a link's target) does not exist
//   kPermissionDenied  it exists but this process may not read it
//   kInvalidArgument   not a regular file, or larger than max_bytes
//   kIo                anything else
// Messages name the path. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "common/error.h"

namespace certfleet {

Result<std::string> ReadLocalFile(const std::string& path, std::size_t max_bytes);

// Opens the file for reading and closes it again without reading a byte: for private
// keys, whose contents discovery never reads.
Status CheckReadable(const std::string& path);

}  // namespace certfleet
