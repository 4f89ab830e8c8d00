// Reading a certificate file named by nginx's configuration into CertificateFacts.
//
// The file is a PEM chain (leaf first, as nginx wants it); at most kMaxCertificateFileBytes.
// Errors say what a report shows: kNotFound (missing), kPermissionDenied (unreadable),
// kInvalidArgument (not PEM certificates, too large, not a regular file), each naming the
// path. Thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "agent/discovery/inventory.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::agent::discovery {

inline constexpr std::size_t kMaxCertificateFileBytes = 1u << 20;

CertificateFacts FactsOf(const crypto::Certificate& leaf, int chain_length);

Result<CertificateFacts> ReadCertificateFacts(const std::string& path);

// The FileStatus a report shows for an error of ReadCertificateFacts / CheckReadable.
FileStatus StatusForError(const Error& error);

}  // namespace certfleet::agent::discovery
