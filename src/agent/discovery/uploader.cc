#include "agent/discovery/uploader.h"

#include <spdlog/spdlog.h>

#include "common/local_file.h"
#include "crypto/x509.h"

namespace certfleet::agent::discovery {
namespace {

constexpr std::size_t kMaxPemBytes = 1u << 20;

struct Files {
  std::string certificate;
  std::string key;
};

Result<Files> FindFiles(const Inventory& inventory, const std::string& sha256) {
  for (const auto& server : inventory.servers) {
    for (const auto& pair : server.pairs) {
      if (pair.certificate.sha256 == sha256 && pair.key.status == FileStatus::kOk) {
        return Files{pair.certificate.path, pair.key.path};
      }
    }
  }
  return Fail(ErrorCode::kNotFound, "no certificate with SHA-256 " + sha256 +
                                        " and a readable key is configured in nginx on this "
                                        "host any more");
}

// The chain and key to upload, checked to be the wanted leaf.
Result<Files> ReadPair(const Files& files, const std::string& sha256) {
  auto chain = ReadLocalFile(files.certificate, kMaxPemBytes);
  if (!chain) return Fail(chain.error());
  auto leaf = crypto::ParsePemChain(*chain);
  if (!leaf || leaf->front().Sha256Fingerprint() != sha256) {
    return Fail(ErrorCode::kConflict, files.certificate + " no longer holds the certificate " +
                                          sha256 + " (it changed since the last discovery)");
  }
  auto key = ReadLocalFile(files.key, kMaxPemBytes);
  if (!key) return Fail(key.error());
  return Files{std::move(*chain), std::move(*key)};
}

}  // namespace

UploadOutcome AnswerUploads(const std::vector<UploadWanted>& wanted, const Inventory& inventory,
                            InventoryClient& hub) {
  UploadOutcome out;
  for (const UploadWanted& w : wanted) {
    auto files = FindFiles(inventory, w.sha256);
    auto pem = files ? ReadPair(*files, w.sha256) : Result<Files>(Fail(files.error()));
    Status sent = pem ? hub.Upload(w.id, pem->certificate, pem->key)
                      : hub.DeclineUpload(w.id, pem.error().message);
    if (!sent) {
      spdlog::warn("upload {} for {}: {}", w.id, w.domain, sent.error().message);
      ++out.failed;
    } else if (pem) {
      spdlog::info("uploaded the certificate {} of {} to the hub", w.sha256.substr(0, 12),
                   w.domain);
      ++out.uploaded;
    } else {
      spdlog::warn("declined the upload of {} for {}: {}", w.sha256.substr(0, 12), w.domain,
                   pem.error().message);
      ++out.declined;
    }
  }
  return out;
}

}  // namespace certfleet::agent::discovery
