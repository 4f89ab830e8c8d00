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
#include "crypto/key_der.h"
#include "crypto/pem.h"
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

// Found by x509_fuzz's queue check (issue 13): a certificate whose authority key identifier
// extension does not decode still parses, and reading its key identifiers made OpenSSL push
// errors that stayed on the queue (a later, unrelated failure would have reported them).
TEST(UntrustedInputTest, AKeyIdentifierThatDoesNotDecodeLeavesNoErrorBehind) {
  auto ca = testing::TestCa::Create(1).value();
  std::string der = ca.Issue({.dns_names = {"aki.example.com"}}).value().leaf.ToDer();
  const std::string aki_oid = "\x06\x03\x55\x1d\x23";  // 2.5.29.35
  const size_t at = der.find(aki_oid);
  ASSERT_NE(at, std::string::npos);
  // OID, OCTET STRING header (04 len), then the extension's SEQUENCE: make it a SET.
  const size_t inner = at + aki_oid.size() + 2;
  ASSERT_EQ(der[inner], '\x30');
  der[inner] = '\x31';
  ERR_clear_error();
  auto cert = Certificate::FromDer(der);
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  EXPECT_EQ(ERR_peek_error(), 0u) << "after parsing";
  EXPECT_EQ(cert->AuthorityKeyId(), "");
  EXPECT_EQ(ERR_peek_error(), 0u) << "after AuthorityKeyId()";
  (void)cert->SubjectKeyId();
  EXPECT_EQ(ERR_peek_error(), 0u) << "after SubjectKeyId()";
}

// Found by private_key_fuzz: a PRIVATE KEY block that is not PKCS#8 left the ASN.1
// decoder's errors on the queue; so did the key decoders a valid key passes through.
TEST(UntrustedInputTest, TheFastKeyDecoderLeavesNoErrorBehind) {
  ERR_clear_error();
  EXPECT_EQ(DecodePrivateKeyPem(EncodePem("PRIVATE KEY", "\x30\x03\x02\x01\x00")), nullptr);
  EXPECT_EQ(ERR_peek_error(), 0u) << "after a PRIVATE KEY block that is not PKCS#8";
  EXPECT_EQ(DecodePrivateKeyPem(EncodePem("EC PRIVATE KEY", "\x30\x00")), nullptr);
  EXPECT_EQ(ERR_peek_error(), 0u) << "after an EC PRIVATE KEY block that does not decode";
  auto leaf = testing::TestCa::Create(1).value().Issue({.dns_names = {"k.example.com"}}).value();
  EXPECT_NE(DecodePrivateKeyPem(leaf.key_pem), nullptr);
  EXPECT_EQ(ERR_peek_error(), 0u) << "after a key that decodes";
}

// A failed parse reports OpenSSL's reasons in its error and leaves the queue empty (it now
// also clears the popped entries, whose strings stayed allocated until their slot was reused).
TEST(UntrustedInputTest, AFailedParseReportsOpensslsReasonAndLeavesTheQueueEmpty) {
  ERR_clear_error();
  auto cert = Certificate::FromDer("\x30\x03\x02\x01\x00");
  ASSERT_FALSE(cert.has_value());
  EXPECT_NE(cert.error().message.find("parsing a DER certificate: "), std::string::npos);
  EXPECT_EQ(cert.error().message.find("unknown OpenSSL error"), std::string::npos)
      << cert.error().message;
  EXPECT_EQ(ERR_peek_error(), 0u);
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
