#include "common/utf8.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

TEST(Utf8Test, AcceptsAsciiAndWellFormedMultiByteText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x92"));  // é € 🔒
}

TEST(Utf8Test, RejectsTruncatedOverlongSurrogateAndOutOfRangeSequences) {
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));                     // cut inside a character
  EXPECT_FALSE(IsValidUtf8("v\xFF"));                       // never valid
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));                    // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));                // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));            // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));                    // 2 of 3 bytes
  EXPECT_FALSE(IsValidUtf8(std::string_view("a\x80", 2)));  // lone continuation byte
}

TEST(Utf8Test, ReplacesEachBadByteWithTheReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8("v\xFF"), "v\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("caf\xE9!"), "caf\xEF\xBF\xBD!");  // Latin-1 é
  EXPECT_EQ(ToValidUtf8("caf\xC3\xA9"), "caf\xC3\xA9") << "valid text must pass unchanged";
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80")));
}

TEST(Utf8Test, TruncationNeverSplitsACharacter) {
  const std::string text = std::string(4095, 'a') + "\xC3\xA9";  // 4097 bytes
  const std::string cut = TruncateUtf8(text, 4096);
  EXPECT_EQ(cut, std::string(4095, 'a')) << "the straddling é must go as a whole";
  EXPECT_TRUE(IsValidUtf8(cut));
  EXPECT_EQ(TruncateUtf8("\xF0\x9F\x94\x92", 3), "");
  EXPECT_EQ(TruncateUtf8("short", 64), "short");
  EXPECT_EQ(TruncateUtf8("ab\xFF", 64), "ab\xEF\xBF\xBD");
}

}  // namespace
}  // namespace certfleet
