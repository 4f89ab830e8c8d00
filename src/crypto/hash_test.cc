#include "crypto/hash.h"

#include <gtest/gtest.h>

#include "common/encoding.h"

namespace certfleet::crypto {
namespace {

TEST(HashTest, Sha256OfAbcMatchesFips180Vector) {
  EXPECT_EQ(HexEncode(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HashTest, HmacSha256MatchesRfc4231Case2) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacWithEmptyKeyWorks) {
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HashTest, RandomBytesHaveRequestedSizeAndDiffer) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  const std::string a = RandomBytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, RandomBytes(32)) << "two 32-byte random strings collided";
}

TEST(HashTest, ConstantTimeEqualComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEqual("token", "token"));
  EXPECT_FALSE(ConstantTimeEqual("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEqual("token", "token2"));
  EXPECT_TRUE(ConstantTimeEqual("", ""));
}

}  // namespace
}  // namespace certfleet::crypto
