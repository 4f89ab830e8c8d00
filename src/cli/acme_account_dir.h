// The CLI's ACME account on disk: one folder per CA, holding the account key.
//
//   <account-dir>/<ca-host_port>/account.key   PKCS#8 PEM, mode 0600, created on first use
//
// The account URL is not cached: every run sends one newAccount with the key, which
// returns the existing account (RFC 8555 §7.3.1) and so also survives a CA that forgot
// its accounts (Pebble after a restart).
#pragma once

#include <filesystem>
#include <string>

#include "common/error.h"
#include "crypto/key.h"

namespace certfleet::cli {

// "$XDG_DATA_HOME/certfleet/acme" or "$HOME/.local/share/certfleet/acme".
std::filesystem::path DefaultAccountDir();

// Loads the account key for `directory_url` from `account_dir`, or creates an EC P-256
// key there (directories 0700, key 0600, written atomically).
Result<crypto::PrivateKey> LoadOrCreateAccountKey(const std::filesystem::path& account_dir,
                                                  const std::string& directory_url);

}  // namespace certfleet::cli
