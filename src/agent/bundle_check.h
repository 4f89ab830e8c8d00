// The checks a certificate passes before it may replace what nginx serves, and the
// split of a hub bundle into certbot's four files.
//
// Pure functions over their arguments (the clock's reading is passed in); messages
// name the domain, the certificate id and what is wrong, and never contain key bytes.
#pragma once

#include <string>
#include <vector>

#include "agent/desired_state.h"
#include "common/clock.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::agent {

// certbot's layout: cert.pem (leaf), chain.pem (intermediates), fullchain.pem (both),
// privkey.pem (never log it).
struct PemFiles {
  std::string cert;
  std::string chain;
  std::string fullchain;
  std::string privkey;
};

// Checks `bundle` against the desired entry and returns the files to write:
// the chain parses and is in order, the leaf's SHA-256 is the one the hub announced, the
// key matches the leaf, the leaf is valid at `now`, and its DNS names cover the domain
// and every SAN. kInvalidArgument with the first failed check otherwise.
// `intermediates`, if given, spares parsing the chain's intermediates again (they repeat).
Result<PemFiles> PrepareFiles(const CertificateBundle& bundle, const DesiredCertificate& desired,
                              TimePoint now, crypto::CertificateCache* intermediates = nullptr);

// Checks that files read back from disk are one consistent pair: the leaf in cert.pem and
// fullchain.pem is `expected_sha256` and privkey.pem is its key. kCorrupt otherwise.
Status CheckPemFiles(const PemFiles& files, const std::string& expected_sha256);

// True if `pattern` (a dNSName, possibly "*.example.com") covers `name`.
bool NameCovers(const std::string& pattern, const std::string& name);

}  // namespace certfleet::agent
