#include "common/encoding.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

TEST(Encoding, Base64UrlMatchesRfc4648TestVectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
}

TEST(Encoding, Base64UrlRoundTripsAllByteValues) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t len = 0; len <= all.size(); len += 37) {
    const auto part = all.substr(0, len);
    EXPECT_EQ(Base64UrlDecode(Base64UrlEncode(part)), part) << "length " << len;
  }
}

TEST(Encoding, Base64UrlRejectsCharactersOutsideTheAlphabet) {
  EXPECT_FALSE(Base64UrlDecode("Zm9v+"));
  EXPECT_FALSE(Base64UrlDecode("Zm 9v"));
  EXPECT_FALSE(Base64UrlDecode("Z"));  // a single sextet cannot encode a byte
}

TEST(Encoding, Base64StandardPadsAndSkipsPemLineBreaks) {
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Decode("Zm9v\nYmFy\r\n"), "foobar");
  EXPECT_FALSE(Base64Decode("Zm8=Zg"));
}

TEST(Encoding, HexRoundTripsAndRejectsBadDigits) {
  EXPECT_EQ(HexEncode("\x01\xab\xff"), "01abff");
  EXPECT_EQ(HexDecode("01ABff"), std::string("\x01\xab\xff"));
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
}

}  // namespace
}  // namespace certfleet
