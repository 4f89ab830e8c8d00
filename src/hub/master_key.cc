#include "hub/master_key.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/atomic_file.h"
#include "crypto/hash.h"
#include "crypto/secret.h"

namespace certfleet::hub {
namespace {

std::string OctalMode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Result<crypto::Envelope> Create(const std::filesystem::path& file) {
  const crypto::Secret key(crypto::RandomBytes(kMasterKeySize));
  if (auto s = WriteFileAtomically(file, key.view(), 0600); !s) {
    return Fail(s.error().WithContext("creating the master key " + file.string()));
  }
  return crypto::Envelope::Create(key.view());
}

Result<crypto::Envelope> Load(const std::filesystem::path& file, const struct stat& info) {
  if ((info.st_mode & 077) != 0) {
    return Fail(ErrorCode::kPermissionDenied,
                "master key " + file.string() + " has mode " + OctalMode(info.st_mode) +
                    "; it must be readable by its owner only: chmod 600 " + file.string());
  }
  auto read = ReadFile(file, 4096);
  if (!read) return Fail(read.error().WithContext("reading the master key"));
  const crypto::Secret key(std::move(*read));
  if (key.size() != kMasterKeySize) {
    return Fail(ErrorCode::kCorrupt,
                "master key " + file.string() + " holds " + std::to_string(key.size()) +
                    " bytes, expected " + std::to_string(kMasterKeySize) +
                    "; restore it from a backup (a new key cannot open the stored private keys)");
  }
  return crypto::Envelope::Create(key.view());
}

}  // namespace

Result<crypto::Envelope> LoadOrCreateMasterKey(const std::filesystem::path& data_dir) {
  const std::filesystem::path file = data_dir / "master.key";
  struct stat info {};
  if (::stat(file.c_str(), &info) == 0) return Load(file, info);
  if (errno != ENOENT) {
    return Fail(ErrorCode::kIo, "master key " + file.string() + ": " + std::strerror(errno));
  }
  return Create(file);
}

}  // namespace certfleet::hub
