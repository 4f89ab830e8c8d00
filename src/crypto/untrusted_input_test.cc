// Parsers that take untrusted input (CA responses, uploads, stored blobs) must reject
// random and mutated bytes with an Error: never crash, hang or leave OpenSSL errors
// behind. Bounded, seeded loops so the test is fast and reproducible; the sanitizer
// build turns any out-of-bounds read into a failure.
#include <gtest/gtest.h>
#include <openssl/err.h>

#include <nlohmann/json.hpp>
#include <random>

#include "common/encoding.h"
#include "crypto/envelope.h"
#include "crypto/jwk.h"
#include "crypto/jws.h"
#include "crypto/testing/test_ca.h"
#include "crypto/x509.h"

namespace certfleet::crypto {
namespace {

// Flips, drops or inserts a few random bytes of `input`.
std::string Mutate(std::string input, std::mt19937& rng) {
  std::uniform_int_distribution<int> byte(0, 255);
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !input.empty(); ++i) {
    const size_t at = rng() % input.size();
    switch (rng() % 3) {
      case 0:
        input[at] = static_cast<char>(byte(rng));
        break;
      case 1:
        input.erase(at, 1 + rng() % 8);
        break;
      default:
        input.insert(at, 1, static_cast<char>(byte(rng)));
    }
  }
  return input;
}

TEST(UntrustedInputTest, MutatedCertificatesNeverCrashOrLeakErrors) {
  auto ca = testing::TestCa::Create(1).value();
  auto leaf = ca.Issue({.dns_names = {"fuzz.example.com"}}).value();
  const std::string der = leaf.leaf.ToDer();
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    const std::string mutated_der = Mutate(der, rng);
    if (auto cert = Certificate::FromDer(mutated_der); cert) {
      (void)cert->DnsNames();  // accessors must cope with odd but parseable certificates
      (void)cert->SerialHex();
      (void)cert->NotAfter();
      (void)cert->IssuerCommonName();
    }
    (void)ParsePemChain(Mutate(leaf.chain_pem, rng));
    (void)PrivateKey::FromPem(Mutate(leaf.key_pem, rng));
    EXPECT_EQ(ERR_peek_error(), 0u) << "OpenSSL error queue not cleared at iteration " << i;
  }
}

TEST(UntrustedInputTest, MutatedSignaturesAndJwsAreRejected) {
  const PrivateKey& key = testing::CachedTestKey(KeyType::kEcP256);
  auto jws = SignJws(key, {{"alg", "ES256"}, {"nonce", "n"}}, "payload").value();
  const std::string der =
      EcdsaRawToDer(*Base64UrlDecode(jws["signature"].get<std::string>())).value();
  std::mt19937 rng(11);
  for (int i = 0; i < 300; ++i) {
    (void)EcdsaDerToRaw(Mutate(der, rng), 32);
    nlohmann::json mutated = jws;
    const char* member = i % 3 == 0 ? "protected" : (i % 3 == 1 ? "payload" : "signature");
    mutated[member] = Mutate(jws[member].get<std::string>(), rng);
    if (mutated != jws) {
      EXPECT_FALSE(VerifyJws(key, mutated).has_value()) << "accepted " << mutated.dump();
    }
    EXPECT_EQ(ERR_peek_error(), 0u) << "OpenSSL error queue not cleared at iteration " << i;
  }
}

TEST(UntrustedInputTest, MutatedEnvelopesAreCorrupt) {
  auto envelope = Envelope::Create(std::string(32, 'k')).value();
  const std::string sealed = envelope.Seal("secret key material", "row-1");
  std::mt19937 rng(13);
  for (int i = 0; i < 300; ++i) {
    const std::string mutated = Mutate(sealed, rng);
    if (mutated == sealed) continue;
    auto opened = envelope.Open(mutated, "row-1");
    ASSERT_FALSE(opened.has_value()) << "opened a mutated envelope at iteration " << i;
    EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  }
}

}  // namespace
}  // namespace certfleet::crypto
