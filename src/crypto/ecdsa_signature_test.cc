#include <gtest/gtest.h>

#include "common/encoding.h"
#include "crypto/jws.h"

namespace certfleet::crypto {
namespace {

std::string Hex(std::string_view hex) { return HexDecode(hex).value(); }

// SEQUENCE { INTEGER r, INTEGER s } with the given content hex.
std::string Der(std::string_view r_hex, std::string_view s_hex) {
  const std::string r = Hex(r_hex);
  const std::string s = Hex(s_hex);
  std::string content = std::string{'\x02', static_cast<char>(r.size())} + r +
                        std::string{'\x02', static_cast<char>(s.size())} + s;
  return std::string{'\x30', static_cast<char>(content.size())} + content;
}

const std::string k32Ones(64, 'a');  // 32 bytes of 0xaa: high bit set

TEST(EcdsaDerToRawTest, StripsSignPaddingOfHighBitComponents) {
  auto raw = EcdsaDerToRaw(Der("00" + k32Ones, "00" + k32Ones), 32);
  ASSERT_TRUE(raw.has_value()) << raw.error().message;
  EXPECT_EQ(HexEncode(*raw), k32Ones + k32Ones);
}

TEST(EcdsaDerToRawTest, LeftPadsShortComponents) {
  auto raw = EcdsaDerToRaw(Der("01", "7f" + std::string(60, '1')), 32);
  ASSERT_TRUE(raw.has_value()) << raw.error().message;
  EXPECT_EQ(HexEncode(*raw), std::string(62, '0') + "01" + "00" + "7f" + std::string(60, '1'));
}

TEST(EcdsaDerToRawTest, RejectsComponentLongerThanCurve) {
  auto raw = EcdsaDerToRaw(Der("01" + k32Ones, "01"), 32);
  ASSERT_FALSE(raw.has_value());
  EXPECT_NE(raw.error().message.find("r is 33 bytes"), std::string::npos) << raw.error().message;
}

TEST(EcdsaDerToRawTest, RejectsMalformedDer) {
  const std::string good = Der("01", "02");
  struct Case {
    const char* what;
    std::string der;
  };
  const Case cases[] = {
      {"empty", ""},
      {"truncated", good.substr(0, good.size() - 1)},
      {"only the tag", good.substr(0, 1)},
      {"wrong outer tag", "\x31" + good.substr(1)},
      {"wrong inner tag", Der("01", "02").replace(2, 1, "\x04")},
      {"trailing bytes", good + std::string(1, '\0')},
      {"negative r", Der("80", "02")},
      {"non-minimal r", Der("0001", "02")},
      {"empty r", Der("", "02")},
      {"only r", std::string("\x30\x03\x02\x01\x01", 5)},
      {"extra element", std::string("\x30\x09\x02\x01\x01\x02\x01\x02\x02\x01\x03", 11)},
      {"long length lies", std::string("\x30\x84\xff\xff\xff\xff", 6)},
  };
  for (const Case& c : cases) {
    auto raw = EcdsaDerToRaw(c.der, 32);
    EXPECT_FALSE(raw.has_value()) << c.what << " was accepted";
    if (!raw) {
      EXPECT_EQ(raw.error().code, ErrorCode::kInvalidArgument) << c.what;
    }
  }
}

TEST(EcdsaRawToDerTest, RoundTripsThroughDer) {
  for (const std::string& raw_hex :
       {k32Ones + k32Ones, std::string(62, '0') + "01" + std::string(64, '7'),
        std::string(128, '0'), std::string(96, 'f') + std::string(96, '1')}) {
    const std::string raw = Hex(raw_hex);
    auto der = EcdsaRawToDer(raw);
    ASSERT_TRUE(der.has_value()) << der.error().message;
    auto back = EcdsaDerToRaw(*der, raw.size() / 2);
    ASSERT_TRUE(back.has_value()) << raw_hex << ": " << back.error().message;
    EXPECT_EQ(HexEncode(*back), raw_hex);
  }
}

TEST(EcdsaRawToDerTest, RejectsOddOrEmptyInput) {
  EXPECT_FALSE(EcdsaRawToDer("").has_value());
  EXPECT_FALSE(EcdsaRawToDer("abc").has_value());
}

}  // namespace
}  // namespace certfleet::crypto
