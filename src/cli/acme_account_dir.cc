#include "cli/acme_account_dir.h"

#include <cstdlib>

#include "common/atomic_file.h"

namespace certfleet::cli {
namespace {

namespace fs = std::filesystem;

// "https://acme-v02.api.letsencrypt.org/directory" → "acme-v02.api.letsencrypt.org_443".
std::string FolderForDirectoryUrl(const std::string& url) {
  std::string rest = url;
  std::string port = "443";
  if (const auto scheme = rest.find("://"); scheme != std::string::npos) {
    if (rest.compare(0, scheme, "http") == 0) port = "80";
    rest = rest.substr(scheme + 3);
  }
  rest = rest.substr(0, rest.find('/'));
  if (const auto colon = rest.rfind(':'); colon != std::string::npos && rest.back() != ']') {
    port = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
  }
  std::string folder;
  for (const char c : rest + "_" + port) {
    const bool safe =
        std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    folder += safe ? c : '_';
  }
  return folder;
}

}  // namespace

fs::path DefaultAccountDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "certfleet" / "acme";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : ".") / ".local" / "share" / "certfleet" / "acme";
}

Result<crypto::PrivateKey> LoadOrCreateAccountKey(const fs::path& account_dir,
                                                  const std::string& directory_url) {
  const fs::path folder = account_dir / FolderForDirectoryUrl(directory_url);
  const fs::path key_path = folder / "account.key";
  auto pem = ReadFile(key_path);
  if (pem) {
    auto key = crypto::PrivateKey::FromPem(*pem);
    if (!key) return Fail(key.error().WithContext("account key " + key_path.string()));
    return key;
  }
  if (pem.error().code != ErrorCode::kNotFound) return Fail(pem.error());

  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    return Fail(ErrorCode::kIo,
                "cannot create account folder " + folder.string() + ": " + ec.message());
  }
  fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  if (!key) return Fail(key.error());
  if (auto written = WriteFileAtomically(key_path, key->ToPem(), 0600); !written) {
    return Fail(written.error());
  }
  return key;
}

}  // namespace certfleet::cli
