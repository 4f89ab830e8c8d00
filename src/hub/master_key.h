// The hub's master key: 32 random bytes in <data-dir>/master.key that seal every private
// key at rest (crypto::Envelope, AES-256-GCM).
//
// Created on first start with mode 0600 (written atomically, so a crash never leaves a
// short key). Later starts load it and refuse — with an error naming the file and the
// fix — when its mode lets group or others read it, or when its size is not 32 bytes.
// Losing this file makes every stored private key unreadable: back it up with the
// database.
#pragma once

#include <filesystem>

#include "common/error.h"
#include "crypto/envelope.h"

namespace certfleet::hub {

inline constexpr std::size_t kMasterKeySize = 32;

// Loads <data_dir>/master.key, creating it when missing. The directory must exist.
// Errors: kPermissionDenied (mode looser than 0600), kCorrupt (wrong size), kIo.
Result<crypto::Envelope> LoadOrCreateMasterKey(const std::filesystem::path& data_dir);

}  // namespace certfleet::hub
