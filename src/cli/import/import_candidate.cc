#include "cli/import/import_candidate.h"

#include <algorithm>
#include <cctype>

#include "crypto/key.h"
#include "crypto/x509.h"

namespace certfleet::cli::import {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// certbot names a second lineage for the same names "<name>-0001".
std::string WithoutLineageSuffix(const std::string& name) {
  const size_t dash = name.rfind('-');
  if (dash == std::string::npos || name.size() - dash != 5) return name;
  const bool digits = std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dash) + 1, name.end(),
                                  [](unsigned char c) { return std::isdigit(c) != 0; });
  return digits ? name.substr(0, dash) : name;
}

std::vector<std::string> NamesOf(const crypto::Certificate& leaf) {
  std::vector<std::string> names;
  for (const auto& n : leaf.DnsNames()) {
    std::string lower = Lower(n);
    if (std::find(names.begin(), names.end(), lower) == names.end()) names.push_back(lower);
  }
  const std::string cn = Lower(leaf.SubjectCommonName());
  if (names.empty() && !cn.empty() && cn.find(' ') == std::string::npos) names.push_back(cn);
  return names;
}

std::string Primary(const std::vector<std::string>& names, const std::string& preferred,
                    const std::string& cn) {
  for (const std::string& candidate :
       {Lower(preferred), Lower(WithoutLineageSuffix(preferred)), cn}) {
    if (std::find(names.begin(), names.end(), candidate) != names.end()) return candidate;
  }
  return names.front();
}

}  // namespace

Result<ImportCandidate> MakeCandidate(std::string label, std::string origin,
                                      const std::string& chain_pem, std::string key_pem,
                                      const std::string& preferred) {
  auto chain = crypto::ParsePemChain(chain_pem);
  if (!chain) return Fail(chain.error().WithContext("certificate chain"));
  if (auto s = crypto::CheckChainOrder(*chain); !s)
    return Fail(s.error().WithContext("certificate chain"));
  auto key = crypto::PrivateKey::FromPem(key_pem);
  if (!key) return Fail(key.error().WithContext("private key"));
  const crypto::Certificate& leaf = chain->front();
  if (!leaf.MatchesKey(*key)) {
    return Fail(
        ErrorCode::kInvalidArgument,
        "the private key does not belong to the certificate (serial " + leaf.SerialHex() + ")");
  }
  const std::vector<std::string> names = NamesOf(leaf);
  if (names.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "the certificate names no host (no DNS names, no CN)");
  }
  ImportCandidate c;
  c.label = std::move(label);
  c.origin = std::move(origin);
  c.name = Primary(names, preferred, Lower(leaf.SubjectCommonName()));
  for (const auto& n : names) {
    if (n != c.name) c.sans.push_back(n);
  }
  c.key_type = std::string(crypto::KeyTypeName(key->type()));
  c.chain_pem = crypto::ToPemChain(*chain);
  c.key_pem = std::move(key_pem);
  c.sha256 = leaf.Sha256Fingerprint();
  c.serial = leaf.SerialHex();
  c.not_after = leaf.NotAfter();
  return c;
}

}  // namespace certfleet::cli::import
