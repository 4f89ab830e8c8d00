// Secret wipes the key material it owns (F18): the bytes are zero once it is wiped,
// assigned over or moved from, not merely released to the allocator.
#include "crypto/secret.h"

#include <gtest/gtest.h>

#include <string>

namespace certfleet::crypto {
namespace {

// A PEM-sized value: on the heap, where freed blocks are reused and show up in core dumps.
const std::string kKeyPem =
    "-----BEGIN PRIVATE KEY-----\n" + std::string(200, 'k') + "\n-----END PRIVATE KEY-----\n";

bool AllZero(const char* bytes, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

TEST(SecretTest, WipeZeroesTheBytesItHeld) {
  Secret secret{std::string(kKeyPem)};
  const char* buffer = secret.view().data();
  const size_t size = secret.size();
  secret.Wipe();
  EXPECT_TRUE(secret.empty());
  // Wipe keeps the zeroed buffer allocated (it is only freed by the destructor), so the
  // old bytes can be read here without touching freed memory.
  EXPECT_EQ(secret.view().data(), buffer);
  EXPECT_TRUE(AllZero(buffer, size)) << "the key's bytes are still in memory";
}

TEST(SecretTest, AssigningOverWipesTheOldValue) {
  Secret secret{std::string(kKeyPem)};
  const Secret shorter{std::string(40, 's')};
  const char* buffer = secret.view().data();
  secret = shorter;  // fits the old buffer: std::string reuses it
  ASSERT_EQ(secret.view().data(), buffer);
  EXPECT_EQ(secret.str(), shorter.str());
  EXPECT_TRUE(AllZero(buffer + shorter.size() + 1, kKeyPem.size() - shorter.size() - 1))
      << "the old key's tail survived behind the new value";
}

TEST(SecretTest, AMovedFromSecretIsEmptyAndTheValueMovesIntact) {
  Secret from{std::string(kKeyPem)};
  Secret to(std::move(from));
  EXPECT_EQ(to.str(), kKeyPem);
  EXPECT_TRUE(from.empty());  // NOLINT(bugprone-use-after-move): what this test is about
}

TEST(SecretTest, WipeStringClearsAShrunkenStringsWholeCapacity) {
  std::string s = kKeyPem;
  const char* buffer = s.data();
  s.resize(10);  // the bytes past size() are still the key's
  WipeString(s);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.data(), buffer);
  EXPECT_TRUE(AllZero(buffer, kKeyPem.size()));
}

}  // namespace
}  // namespace certfleet::crypto
