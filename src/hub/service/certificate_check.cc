#include "hub/service/certificate_check.h"

#include "common/time_format.h"
#include "common/utf8.h"
#include "crypto/key.h"
#include "crypto/sealed_key.h"
#include "crypto/secret.h"
#include "crypto/x509.h"

namespace certfleet::hub::service {
namespace {

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, std::move(message));
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

Status CheckValidity(const crypto::Certificate& leaf, TimePoint now) {
  if (leaf.NotAfter() <= now) {
    return Invalid("the certificate expired at " + FormatRfc3339(leaf.NotAfter()));
  }
  if (leaf.NotBefore() > now) {
    return Invalid("the certificate is not valid before " + FormatRfc3339(leaf.NotBefore()));
  }
  return Ok();
}

// RFC 5280 §4.2.1.6: a dNSName is an IA5String in the preferred name syntax (IDNs as
// A-labels), so printable ASCII only. Anything else is refused before it can be stored.
Status CheckNameBytes(const std::vector<std::string>& names) {
  for (const auto& name : names) {
    for (char c : name) {
      if (c <= ' ' || c > '~') {
        return Invalid("the certificate has a DNS name that is not printable ASCII (\"" +
                       ToValidUtf8(name) +
                       "\"); subjectAltName dNSName entries must be ASCII, IDNs as xn-- labels");
      }
    }
  }
  return Ok();
}

Status CheckNames(const crypto::Certificate& leaf, const store::Domain& domain) {
  const std::vector<std::string> have = leaf.DnsNames();
  if (auto s = CheckNameBytes(have); !s) return s;
  std::vector<std::string> wanted = {domain.name};
  wanted.insert(wanted.end(), domain.sans.begin(), domain.sans.end());
  for (const auto& name : wanted) {
    bool covered = false;
    for (const auto& pattern : have) covered = covered || NameCovers(pattern, name);
    if (!covered) {
      return Invalid("the certificate does not cover " + name + " (its names: " + JoinNames(have) +
                     ")");
    }
  }
  return Ok();
}

}  // namespace

bool NameCovers(std::string_view pattern, std::string_view name) {
  if (pattern == name) return true;
  if (pattern.substr(0, 2) != "*.") return false;
  const auto dot = name.find('.');
  return dot != std::string_view::npos && dot > 0 && name.substr(dot + 1) == pattern.substr(2);
}

Result<store::CertificateVersion> ValidateUpload(const store::Domain& domain,
                                                 std::string_view chain_pem,
                                                 std::string_view key_pem, TimePoint now,
                                                 const crypto::Envelope& envelope) {
  auto chain = crypto::ParsePemChain(chain_pem);
  if (!chain) return Invalid("certificate chain: " + chain.error().message);
  auto key = crypto::PrivateKey::FromPem(key_pem);
  if (!key) return Invalid("private key: " + key.error().message);
  const crypto::Certificate& leaf = chain->front();
  if (!leaf.MatchesKey(*key)) {
    return Invalid(
        "the private key does not match the certificate (the first block of the "
        "chain, " +
        leaf.SubjectCommonName() + ")");
  }
  if (auto s = crypto::CheckChainOrder(*chain); !s) {
    return Invalid("certificate chain: " + s.error().message);
  }
  if (auto s = CheckValidity(leaf, now); !s) return Fail(s.error());
  if (auto s = CheckNames(leaf, domain); !s) return Fail(s.error());
  store::CertificateVersion c;
  c.domain_id = domain.id;
  c.chain_pem = crypto::ToPemChain(*chain);
  c.serial = leaf.SerialHex();
  c.not_before = leaf.NotBefore();
  c.not_after = leaf.NotAfter();
  c.sha256 = leaf.Sha256Fingerprint();
  c.issuer_cn = ToValidUtf8(leaf.IssuerCommonName());
  c.names = leaf.DnsNames();
  c.source = store::CertificateSource::kManual;
  c.replaces_id = domain.current_certificate_id;
  c.encrypted_key = crypto::SealCertificateKey(envelope, crypto::Secret(key->ToPem()).view(),
                                               domain.name, c.sha256);
  return c;
}

}  // namespace certfleet::hub::service
