// Test helpers shared by the agent's unit and integration tests: certificates from a
// TestCa turned into hub bundles, desired entries and the files the agent writes.
#pragma once

#include <string>
#include <vector>

#include "agent/bundle_check.h"
#include "agent/desired_state.h"
#include "crypto/testing/test_ca.h"

namespace certfleet::agent::testing {

struct TestCertificate {
  crypto::testing::IssuedLeaf leaf;
  CertificateBundle bundle;
  DesiredCertificate desired;
  PemFiles files;
};

// Issues a leaf for `domain` and wraps it as certificate `id`. Aborts the test on failure.
TestCertificate MakeCertificate(const crypto::testing::TestCa& ca, const std::string& domain,
                                CertificateId id);

}  // namespace certfleet::agent::testing
