#include "agent/bundle_check.h"

#include <algorithm>

#include "common/time_format.h"
#include "crypto/key.h"
#include "crypto/x509.h"

namespace certfleet::agent {
namespace {

Status Problem(const DesiredCertificate& d, const std::string& what) {
  return Fail(ErrorCode::kInvalidArgument, d.domain + ": certificate " +
                                               std::to_string(d.certificate_id.value_or(0)) +
                                               " refused before deployment: " + what);
}

Status CheckValidity(const crypto::Certificate& leaf, const DesiredCertificate& d, TimePoint now) {
  if (now >= leaf.NotAfter()) return Problem(d, "it expired at " + FormatRfc3339(leaf.NotAfter()));
  if (now < leaf.NotBefore()) {
    return Problem(d, "it is not valid before " + FormatRfc3339(leaf.NotBefore()));
  }
  return Ok();
}

Status CheckNames(const crypto::Certificate& leaf, const DesiredCertificate& d) {
  const std::vector<std::string> names = leaf.DnsNames();
  std::vector<std::string> required = d.sans;
  required.insert(required.begin(), d.domain);
  for (const auto& name : required) {
    bool covered = std::any_of(names.begin(), names.end(),
                               [&](const std::string& p) { return NameCovers(p, name); });
    if (!covered) return Problem(d, "its DNS names do not cover " + name);
  }
  return Ok();
}

}  // namespace

bool NameCovers(const std::string& pattern, const std::string& name) {
  if (pattern == name) return true;
  if (pattern.size() < 3 || pattern.compare(0, 2, "*.") != 0 || name.rfind("*.", 0) == 0)
    return false;
  const size_t dot = name.find('.');
  return dot != std::string::npos && dot > 0 && name.substr(dot) == pattern.substr(1);
}

Result<PemFiles> PrepareFiles(const CertificateBundle& bundle, const DesiredCertificate& d,
                              TimePoint now, crypto::CertificateCache* intermediates) {
  auto chain = crypto::ParsePemChain(bundle.chain_pem, intermediates);
  if (!chain) return Fail(Problem(d, "its chain does not parse: " + chain.error().message).error());
  auto key = crypto::PrivateKey::FromPem(bundle.key_pem);
  if (!key)
    return Fail(Problem(d, "its private key does not parse: " + key.error().message).error());
  const crypto::Certificate& leaf = chain->front();
  Status s = Ok();
  if (leaf.Sha256Fingerprint() != d.sha256) {
    s = Problem(d,
                "the hub announced sha256 " + d.sha256 + " but sent " + leaf.Sha256Fingerprint());
  } else if (!leaf.MatchesKey(*key)) {
    s = Problem(d, "the private key does not match the certificate");
  } else if (auto order = crypto::CheckChainOrder(*chain); !order) {
    s = Problem(d, "chain out of order: " + order.error().message);
  }
  if (s) s = CheckValidity(leaf, d, now);
  if (s) s = CheckNames(leaf, d);
  if (!s) return Fail(s.error());
  std::vector<crypto::Certificate> issuers(chain->begin() + 1, chain->end());
  return PemFiles{leaf.ToPem(), crypto::ToPemChain(issuers), crypto::ToPemChain(*chain),
                  bundle.key_pem};
}

Status CheckPemFiles(const PemFiles& files, const std::string& expected_sha256) {
  auto leaf = crypto::Certificate::FromPem(files.cert);
  auto full = crypto::ParsePemChain(files.fullchain);
  auto key = crypto::PrivateKey::FromPem(files.privkey);
  if (!leaf || !full || !key) {
    return Fail(ErrorCode::kCorrupt, "a file does not parse as PEM (cert, fullchain or privkey)");
  }
  if (leaf->Sha256Fingerprint() != expected_sha256 ||
      full->front().Sha256Fingerprint() != expected_sha256) {
    return Fail(ErrorCode::kCorrupt,
                "cert.pem or fullchain.pem is not certificate " + expected_sha256);
  }
  if (!leaf->MatchesKey(*key)) {
    return Fail(ErrorCode::kCorrupt, "privkey.pem does not match certificate " + expected_sha256);
  }
  return Ok();
}

}  // namespace certfleet::agent
