// TestCa: a throw-away certificate authority for tests (hub uploads, agent deploys,
// chain checks). Never use it outside tests.
//
//   auto ca = crypto::testing::TestCa::Create().value();          // root + 1 intermediate
//   auto leaf = ca.Issue({.dns_names = {"shop.example.com"}}).value();
//   WriteFile("fullchain.pem", leaf.chain_pem);                  // leaf + intermediates
//   WriteFile("privkey.pem", leaf.key_pem);
//   // expired certificate:
//   auto old = ca.Issue({.dns_names = {"a.test"}, .not_before = t0, .not_after = t1});
//
// The CA's own keys are EC P-256. TestCa is immutable after Create() and safe to share
// between threads; Issue() may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "crypto/key.h"
#include "crypto/x509.h"

namespace certfleet::crypto::testing {

struct LeafOptions {
  std::vector<std::string> dns_names = {};  // SANs, in order; the first is also the subject CN
  KeyType key_type = KeyType::kEcP256;
  // Defaults: now - 1 hour .. now + 90 days (system clock).
  std::optional<TimePoint> not_before = std::nullopt;
  std::optional<TimePoint> not_after = std::nullopt;
  // Certify this key instead of generating one of key_type.
  std::optional<PrivateKey> key = std::nullopt;
};

struct IssuedLeaf {
  PrivateKey key;
  Certificate leaf;
  std::vector<Certificate> chain;  // leaf first, then the intermediates; no root
  std::string chain_pem;           // ToPemChain(chain): a fullchain.pem
  std::string leaf_pem;            // the leaf alone: a cert.pem
  std::string key_pem;             // PKCS#8: a privkey.pem
};

class TestCa {
 public:
  // A self-signed root "<name> Root" and `intermediates` intermediates under it
  // ("<name> Intermediate 1", ...), each valid from now - 1 day to now + 10 years.
  static Result<TestCa> Create(int intermediates = 1, const std::string& name = "certfleet Test");

  // Issues a leaf signed by the last intermediate (by the root if there are none).
  Result<IssuedLeaf> Issue(const LeafOptions& options) const;

  const Certificate& root() const { return root_; }
  std::string RootPem() const { return root_.ToPem(); }
  // Intermediates, closest to the root first.
  const std::vector<Certificate>& intermediates() const { return intermediates_; }

 private:
  TestCa(Certificate root, PrivateKey root_key)
      : root_(std::move(root)), issuer_key_(std::move(root_key)) {}

  Certificate root_;
  std::vector<Certificate> intermediates_;
  PrivateKey issuer_key_;  // key of the last intermediate (or of the root)
};

// A fixed key of `type` (from test_keys.h, parsed once per process), for tests that need
// a key but not a fresh one: generating RSA 3072/4096 keys takes seconds. The same key
// every time, in every process. Thread-safe. The keys are public: tests only.
const PrivateKey& CachedTestKey(KeyType type);

}  // namespace certfleet::crypto::testing
