#include "agent/reload_free_files.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "common/atomic_file.h"
#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

namespace fs = std::filesystem;

class ReloadFreeFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(files_.Prepare()); }
  std::string Link(const std::string& name) const {
    std::error_code ec;
    return fs::read_symlink(files_.SniDir() / name, ec).string();
  }
  std::string Map() const { return ReadFile(files_.MapFile()).value_or(""); }

  harness::TempDir dir_{"agent-reload-free-files"};
  ReloadFreeFiles files_{dir_.path(), ::getgid()};
};

TEST_F(ReloadFreeFilesTest, PrepareMakesTheFoldersTheFallbackAndAnEmptyMap) {
  struct stat st {};
  ASSERT_EQ(::stat(files_.SniDir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0750u);
  ASSERT_EQ(::stat(files_.FallbackFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_NE(Map().find("map $ssl_server_name $certfleet_bundle {"), std::string::npos);
  EXPECT_NE(Map().find("default \"" + files_.FallbackFile().string() + "\";"), std::string::npos);
  auto again = files_.Prepare();
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "an unchanged map is not rewritten (no reload needed)";
}

TEST_F(ReloadFreeFilesTest, PrepareRewritesAMapItDidNotWriteAndKeepsItsEntries) {
  ASSERT_TRUE(files_.Sync({{"*.example.com", {"*.example.com"}, true}}));
  std::string edited = Map();
  edited.replace(edited.find("hostnames;"), 10, "hostnames; # edited");
  ASSERT_TRUE(WriteFileAtomically(files_.MapFile(), edited));
  ReloadFreeFiles restarted(dir_.path(), ::getgid());
  auto rewritten = restarted.Prepare();
  ASSERT_TRUE(rewritten);
  EXPECT_TRUE(*rewritten);
  EXPECT_EQ(Map().find("# edited"), std::string::npos);
  EXPECT_EQ(restarted.map_entries().count("*.example.com"), 1u);
}

TEST_F(ReloadFreeFilesTest, EveryExactNameGetsALinkToItsDomainsBundle) {
  auto added = files_.Sync({{"shop.example", {"shop.example", "www.shop.example"}, true},
                            {"blog.example", {"blog.example"}, true}});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_TRUE(added->empty()) << "exact names need no map entry (nginx needs no reload)";
  EXPECT_EQ(Link("shop.example"), "../live/shop.example/bundle.pem");
  EXPECT_EQ(Link("www.shop.example"), "../live/shop.example/bundle.pem");
  EXPECT_EQ(Link("blog.example"), "../live/blog.example/bundle.pem");
  ASSERT_TRUE(files_.Sync({{"shop.example", {"shop.example"}, true}}));
  EXPECT_EQ(Link("www.shop.example"), "") << "a SAN dropped from the certificate loses its link";
  EXPECT_EQ(Link("blog.example"), "") << "a removed domain loses its links";
}

TEST_F(ReloadFreeFilesTest, ADomainsOwnNameWinsOverAnotherDomainsSan) {
  ASSERT_TRUE(files_.Sync(
      {{"a.example", {"a.example", "b.example"}, true}, {"b.example", {"b.example"}, true}}));
  EXPECT_EQ(Link("b.example"), "../live/b.example/bundle.pem");
}

TEST_F(ReloadFreeFilesTest, WildcardsAndTheNamesTheyShadowAreMapEntries) {
  auto added = files_.Sync({{"*.example.com", {"*.example.com"}, true},
                            {"shop.example.com", {"shop.example.com"}, true},
                            {"example.com", {"example.com"}, true}});
  ASSERT_TRUE(added) << added.error().message;
  EXPECT_EQ(*added, (std::set<std::string>{"*.example.com", "shop.example.com"}))
      << "nginx prefers a wildcard entry to the regular expression: shop.example.com needs "
         "its own entry; example.com is not covered by *.example.com";
  const std::string map = Map();
  EXPECT_NE(map.find("\"*.example.com\" \"" +
                     (dir_.path() / "live/_wildcard.example.com/bundle.pem").string() + "\";"),
            std::string::npos)
      << map;
  auto again = files_.Sync({{"*.example.com", {"*.example.com"}, true},
                            {"shop.example.com", {"shop.example.com"}, true},
                            {"example.com", {"example.com"}, true}});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty()) << "nothing new the second time";
}

TEST_F(ReloadFreeFilesTest, LinksOfADomainWithUnknownNamesAreKept) {
  ASSERT_TRUE(files_.Sync({{"shop.example", {"shop.example", "www.shop.example"}, true}}));
  // The hub dropped the domain, remove_policy keep: its files and links stay.
  ASSERT_TRUE(files_.Sync({{"shop.example", {"shop.example"}, false}}));
  EXPECT_EQ(Link("www.shop.example"), "../live/shop.example/bundle.pem");
}

TEST(ReloadFreeHostNameTest, OnlyPlainLowerCaseHostNames) {
  for (const std::string ok : {"shop.example", "a-b.c.example", "xn--bcher-kva.example", "1.2"})
    EXPECT_TRUE(IsPlainHostName(ok)) << ok;
  for (const std::string bad : {"../x", "a/b", "..", ".x.example", "x..example", "-a.example",
                                "a-.example", "Shop.example", "localhost", "a_b.example", ""})
    EXPECT_FALSE(IsPlainHostName(bad)) << bad;
  EXPECT_FALSE(IsPlainHostName(std::string(64, 'a') + ".example")) << "labels ≤ 63";
}

}  // namespace
}  // namespace certfleet::agent
