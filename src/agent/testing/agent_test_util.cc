#include "agent/testing/agent_test_util.h"

#include <cstdlib>
#include <iostream>

namespace certfleet::agent::testing {

TestCertificate MakeCertificate(const crypto::testing::TestCa& ca, const std::string& domain,
                                CertificateId id) {
  auto leaf = ca.Issue({.dns_names = {domain}});
  if (!leaf) {
    std::cerr << "TestCa::Issue failed: " << leaf.error().message << "\n";
    std::abort();
  }
  const std::string sha = leaf->leaf.Sha256Fingerprint();
  CertificateBundle bundle{id, domain, sha, leaf->chain_pem, leaf->key_pem};
  DesiredCertificate desired{domain, {}, id, sha, leaf->leaf.NotAfter()};
  std::vector<crypto::Certificate> intermediates(leaf->chain.begin() + 1, leaf->chain.end());
  PemFiles files{leaf->leaf_pem, crypto::ToPemChain(intermediates), leaf->chain_pem, leaf->key_pem};
  return TestCertificate{std::move(*leaf), std::move(bundle), std::move(desired), std::move(files)};
}

}  // namespace certfleet::agent::testing
