// Certificates (RFC 8555 §7.4.2 download, alternate chains; §7.6 revocation).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acme/session.h"
#include "common/error.h"
#include "crypto/x509.h"

namespace certfleet::acme {

// One certificate chain as the CA served it (application/pem-certificate-chain).
struct DownloadedChain {
  std::string pem;                                // leaf first, then issuers
  std::vector<crypto::Certificate> certificates;  // `pem` parsed, same order; never empty
  std::vector<std::string> alternate_urls;        // Link rel="alternate" (§7.4.2)
};

// POST-as-GET of a certificate URL. Checks that the body is a parseable PEM chain and
// keeps the parsed certificates, so callers need not decode them again (OpenSSL 3
// spends ~0.2 ms per certificate decoding its public key).
Result<DownloadedChain> DownloadCertificate(Session& session, const Signer& signer,
                                            const std::string& url);

// The issuer CN of the topmost certificate of `chain` (the one closest to the root):
// what "--preferred-chain" matches, as certbot and lego do. "" for an empty chain.
std::string TopIssuerCommonName(const std::vector<crypto::Certificate>& chain);

// Index of the first chain whose TopIssuerCommonName equals `preferred_issuer_cn`
// (ASCII case-insensitive), or 0 (the CA's default) when none matches or the
// preference is empty.
size_t ChoosePreferredChain(const std::vector<std::vector<crypto::Certificate>>& chains,
                            std::string_view preferred_issuer_cn);

// Downloads the default chain and, when `preferred_issuer_cn` is set and the default
// does not match it, the alternates, returning the chosen chain. Alternates are fetched
// only as needed; its alternate_urls are those of the chain it was chosen from.
Result<DownloadedChain> DownloadPreferredCertificate(Session& session, const Signer& signer,
                                                     const std::string& url,
                                                     std::string_view preferred_issuer_cn);

// DownloadPreferredCertificate(...)->pem.
Result<std::string> DownloadPreferredChain(Session& session, const Signer& signer,
                                           const std::string& url,
                                           std::string_view preferred_issuer_cn);

// §7.6 revocation reasons (RFC 5280 §5.3.1 CRLReason).
enum class RevocationReason {
  kUnspecified = 0,
  kKeyCompromise = 1,
  kSuperseded = 4,
  kCessationOfOperation = 5,
};

// Revokes `certificate_der`. Sign with the account (Signer with kid) or with the
// certificate's own key (Signer with empty kid: the JWS then carries "jwk").
// An alreadyRevoked problem gives kAlreadyExists.
Status RevokeCertificate(Session& session, const Signer& signer, std::string_view certificate_der,
                         std::optional<RevocationReason> reason);

}  // namespace certfleet::acme
