#include "common/toml_table_reader.h"

#include <gtest/gtest.h>

namespace certfleet {
namespace {

toml::table Parse(std::string_view text) { return toml::parse(text); }

TEST(TomlTableReaderTest, ReadsTypedKeysAndLeavesAbsentOnesAtTheirDefault) {
  toml::table table = Parse("name = 'hub'\nport = 443\nverbose = true\nnames = ['a', 'b']\n");
  TomlTableReader r(table, "", "hub.toml");
  std::string name;
  int port = 0;
  std::int64_t absent = 7;
  bool verbose = false;
  std::vector<std::string> names;
  ASSERT_TRUE(r.String("name", name));
  ASSERT_TRUE(r.Int("port", 1, 65535, port));
  ASSERT_TRUE(r.Int("absent", std::int64_t{0}, std::int64_t{9}, absent));
  ASSERT_TRUE(r.Bool("verbose", verbose));
  ASSERT_TRUE(r.Strings("names", names));
  EXPECT_EQ(name, "hub");
  EXPECT_EQ(port, 443);
  EXPECT_EQ(absent, 7) << "an absent key keeps the caller's default";
  EXPECT_TRUE(verbose);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r.RejectUnknown());
  std::optional<bool> unset;
  std::optional<bool> set;
  toml::table flags = Parse("on = false\n");
  TomlTableReader f(flags, "", "agent.toml");
  ASSERT_TRUE(f.Bool("off", unset));
  ASSERT_TRUE(f.Bool("on", set));
  EXPECT_FALSE(unset.has_value()) << "an absent key must stay unset";
  ASSERT_TRUE(set.has_value());
  EXPECT_FALSE(*set);
}

TEST(TomlTableReaderTest, WrongTypesAndRangesNameTheFileTableAndKey) {
  toml::table table = Parse("port = 70000\nname = 3\nflag = 'yes'\nlist = [1]\n");
  TomlTableReader r(table, "issuance.", "hub.toml");
  int port = 0;
  std::string name;
  bool flag = false;
  std::vector<std::string> list{"kept"};
  auto bad_port = r.Int("port", 1, 65535, port);
  ASSERT_FALSE(bad_port);
  EXPECT_EQ(bad_port.error().message,
            "config hub.toml: issuance.port: must be between 1 and 65535, got 70000");
  EXPECT_EQ(port, 0) << "a rejected value must not be stored";
  EXPECT_EQ(r.String("name", name).error().message,
            "config hub.toml: issuance.name: must be a string");
  EXPECT_EQ(r.Bool("flag", flag).error().message,
            "config hub.toml: issuance.flag: must be true or false");
  EXPECT_FALSE(r.Strings("list", list));
  EXPECT_EQ(list, std::vector<std::string>{"kept"}) << "a rejected array must not be half-stored";
}

TEST(TomlTableReaderTest, UnknownKeysAreListedTakenOnesAreNot) {
  toml::table table = Parse("known = 1\nsub = { a = 1 }\ntypo_one = 1\ntypo_two = 2\n");
  TomlTableReader r(table, "notify.", "hub.toml");
  std::int64_t known = 0;
  ASSERT_TRUE(r.Int("known", std::int64_t{0}, std::int64_t{9}, known));
  EXPECT_NE(r.Take("sub"), nullptr);
  EXPECT_EQ(r.Take("missing"), nullptr);
  auto unknown = r.RejectUnknown();
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.error().message,
            "config hub.toml: unknown key(s): notify.typo_one, notify.typo_two");
}

TEST(TomlTableReaderTest, SyntaxErrorNamesTheFileAndTheLine) {
  auto good = ParseTomlDocument("a = 1\n", "hub.toml");
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ((*good)["a"].value<std::int64_t>(), 1);
  auto bad = ParseTomlDocument("a = 1\nb = [\n", "hub.toml");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message.rfind("config hub.toml: ", 0), 0u) << bad.error().message;
  EXPECT_NE(bad.error().message.find("line"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace certfleet
