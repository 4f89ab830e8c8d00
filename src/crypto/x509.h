// X.509 certificates: parse, inspect, and check against keys and roots.
//
// Certificate is an immutable value type (shared X509 reference), safe to share
// between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "crypto/key.h"

struct x509_st;  // OpenSSL's X509

namespace certfleet::crypto {

class Certificate {
 public:
  static Result<Certificate> FromDer(std::string_view der);
  // Exactly one "CERTIFICATE" PEM block (surrounding whitespace allowed).
  static Result<Certificate> FromPem(std::string_view pem);

  std::string ToPem() const;
  std::string ToDer() const;

  std::vector<std::string> DnsNames() const;  // dNSName SANs, in certificate order
  TimePoint NotBefore() const;
  TimePoint NotAfter() const;
  std::string SerialHex() const;         // lower-case hex, no leading zeros stripped
  std::string SerialDer() const;         // the INTEGER's content bytes (for ARI)
  std::string IssuerCommonName() const;  // "" when the issuer has no CN
  std::string SubjectCommonName() const;
  std::string AuthorityKeyId() const;     // raw keyIdentifier bytes; "" if absent
  std::string SubjectKeyId() const;       // raw bytes; "" if absent
  std::string Sha256Fingerprint() const;  // lower-case hex of SHA-256(DER)
  bool IsSelfIssued() const;

  // True if `key` is the private half of this certificate's public key.
  bool MatchesKey(const PrivateKey& key) const;

  x509_st* get() const { return x509_.get(); }

  // Wraps an X509 the caller owns one reference of (taken over; must be non-null).
  // For crypto/ internals and crypto/testing.
  static Certificate Adopt(x509_st* x509);

 private:
  explicit Certificate(std::shared_ptr<x509_st> x509) : x509_(std::move(x509)) {}
  std::shared_ptr<x509_st> x509_;
};

// Certificate::FromPem(pem)->Sha256Fingerprint() without parsing the certificate: the
// SHA-256 of the block's DER. For comparing a file with a fingerprint recorded when it was
// checked (OpenSSL 3 spends ~0.2 ms decoding a certificate's public key alone). Same errors
// as FromPem for anything but one CERTIFICATE block; the DER itself is not validated.
Result<std::string> PemCertificateFingerprint(std::string_view pem);

// Certificates parsed before, by their DER: a CA's intermediates repeat in every chain it
// issues, and OpenSSL 3.0 spends ~70 of the ~90 µs a parse costs looking up the decoder of
// the public key (an agent's renewal parses two certificates; issue 16). Keeps the last
// `capacity` distinct certificates it was asked for. Not thread-safe: one per user.
class CertificateCache {
 public:
  explicit CertificateCache(size_t capacity = 8) : capacity_(capacity) {}
  Result<Certificate> FromDer(std::string_view der);

 private:
  size_t capacity_;
  std::vector<std::pair<std::string, Certificate>> entries_;  // the most recent last
};

// Splits a PEM bundle into certificates, in order. Errors name the block number that
// failed; text between blocks is ignored; an empty bundle is an error. With
// `intermediates`, every certificate after the first is taken from (and kept in) it.
Result<std::vector<Certificate>> ParsePemChain(std::string_view pem,
                                               CertificateCache* intermediates = nullptr);

// Concatenated PEM of the certificates, in order.
std::string ToPemChain(const std::vector<Certificate>& chain);

// Checks that chain[0] is signed by chain[1], chain[1] by chain[2], ... (the order a
// server sends) — the error says which link is out of order.
Status CheckChainOrder(const std::vector<Certificate>& chain);

// Verifies chain[0] up to one of `roots` at time `at` (chain[1..] are untrusted
// intermediates). The error carries OpenSSL's reason and the failing depth.
Status VerifyChain(const std::vector<Certificate>& chain, const std::vector<Certificate>& roots,
                   TimePoint at);

}  // namespace certfleet::crypto
