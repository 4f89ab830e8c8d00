// Certificates as uploads, CAs and agents hand them over: crypto::ParsePemChain (a
// fullchain.pem), Certificate::FromDer, PemCertificateFingerprint, every accessor the hub
// and the agent read, and the chain-order check. Promise: a parsed certificate's PEM parses
// back to the same fingerprint.
#include "crypto/x509.h"
#include "fuzz_input.h"
#include "openssl_queue.h"

namespace {

void Read(const certfleet::crypto::Certificate& cert) {
  (void)cert.DnsNames();
  (void)cert.NotBefore();
  (void)cert.NotAfter();
  (void)cert.SerialHex();
  (void)cert.SerialDer();
  (void)cert.IssuerCommonName();
  (void)cert.SubjectCommonName();
  (void)cert.AuthorityKeyId();
  (void)cert.SubjectKeyId();
  (void)cert.IsSelfIssued();
  auto again = certfleet::crypto::Certificate::FromPem(cert.ToPem());
  if (!again || again->Sha256Fingerprint() != cert.Sha256Fingerprint())
    certfleet::fuzz::Broken("a parsed certificate does not survive ToPem/FromPem");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = certfleet::fuzz::Text(data, size);
  if (auto chain = certfleet::crypto::ParsePemChain(text)) {
    for (const auto& cert : *chain) Read(cert);
    (void)certfleet::crypto::CheckChainOrder(*chain);
  }
  (void)certfleet::crypto::PemCertificateFingerprint(text);
  if (auto cert = certfleet::crypto::Certificate::FromDer(text)) Read(*cert);
  certfleet::fuzz::ExpectEmptyOpensslErrorQueue();
  return 0;
}
