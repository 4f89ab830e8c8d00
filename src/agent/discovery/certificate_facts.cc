#include "agent/discovery/certificate_facts.h"

#include <algorithm>

#include "common/local_file.h"
#include "crypto/public_key_info.h"

namespace certfleet::agent::discovery {

CertificateFacts FactsOf(const crypto::Certificate& leaf, int chain_length) {
  CertificateFacts f;
  f.sha256 = leaf.Sha256Fingerprint();
  f.names = leaf.DnsNames();
  f.subject = leaf.SubjectCommonName();
  if (!f.subject.empty() && std::find(f.names.begin(), f.names.end(), f.subject) == f.names.end() &&
      f.subject.find(' ') == std::string::npos) {
    f.names.insert(f.names.begin(), f.subject);  // a CN-only certificate still names its host
  }
  f.issuer = crypto::IssuerDistinguishedName(leaf);
  f.serial = leaf.SerialHex();
  f.not_before = leaf.NotBefore();
  f.not_after = leaf.NotAfter();
  f.key_type = crypto::PublicKeyTypeName(leaf);
  f.self_signed = leaf.IsSelfIssued();
  f.chain_length = chain_length;
  return f;
}

Result<CertificateFacts> ReadCertificateFacts(const std::string& path) {
  auto pem = ReadLocalFile(path, kMaxCertificateFileBytes);
  if (!pem) return Fail(pem.error());
  auto chain = crypto::ParsePemChain(*pem);
  if (!chain) {
    return Fail(ErrorCode::kInvalidArgument,
                path + " holds no readable certificate: " + chain.error().message);
  }
  return FactsOf(chain->front(), static_cast<int>(chain->size()));
}

FileStatus StatusForError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNotFound:
      return FileStatus::kMissing;
    case ErrorCode::kPermissionDenied:
      return FileStatus::kUnreadable;
    default:
      return FileStatus::kInvalid;
  }
}

}  // namespace certfleet::agent::discovery
