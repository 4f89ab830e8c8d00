// App: start-up wiring against a real data directory (SQLite, master key, admin token).
#include "hub/app.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "harness/http_client.h"
#include "harness/temp_dir.h"

namespace certfleet::hub {
namespace {

HubConfig ConfigIn(const std::filesystem::path& dir) {
  HubConfig config;
  config.data_dir = dir / "data";  // does not exist yet: the App creates it
  config.listen = "127.0.0.1:0";
  return config;
}

TEST(App, FirstStartCreatesDataDirKeyAndAdminToken) {
  harness::TempDir dir("hub-app");
  auto app = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
  ASSERT_TRUE(app) << app.error().message;
  EXPECT_TRUE((*app)->created_admin_token());
  for (const char* name : {"master.key", "admin.token"}) {
    struct stat info {};
    ASSERT_EQ(::stat((dir.path() / "data" / name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << name << " must be private to its owner";
  }
  auto token = ReadFile(dir.path() / "data" / "admin.token").value();
  token.erase(token.find('\n'));
  harness::HttpRequest request;
  request.headers = {"Authorization: Bearer " + token};
  auto r = harness::HttpFetch((*app)->BaseUrl() + "/api/v1/tokens", request);
  EXPECT_EQ(r.status, 200) << "the written admin token must work: " << r.body;
  EXPECT_EQ(harness::HttpGet((*app)->BaseUrl() + "/healthz").status, 200);
}

// Review 2026-12-06, F12: hub.db, hub.db-wal and hub.db-shm were created 0644 (umask) when
// the hub ran outside systemd's UMask=0077.
TEST(App, DatabaseFilesArePrivateWhateverTheUmask) {
  harness::TempDir dir("hub-app");
  const auto expect_private = [&](const char* why) {
    for (const char* name : {"hub.db", "hub.db-wal", "hub.db-shm"}) {
      struct stat info {};
      ASSERT_EQ(::stat((dir.path() / "data" / name).c_str(), &info), 0) << name << " " << why;
      EXPECT_EQ(info.st_mode & 0777, 0600u) << name << " " << why;
    }
  };
  {
    const mode_t previous = ::umask(022);
    auto app = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
    ::umask(previous);
    ASSERT_TRUE(app) << app.error().message;
    expect_private("created under umask 022");  // -wal and -shm exist while the hub runs
  }  // destroyed: SQLite removes -wal and -shm, the data dir's lock is released
  ASSERT_EQ(::chmod((dir.path() / "data" / "hub.db").c_str(), 0644), 0);  // as an older hub left it
  auto again = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
  ASSERT_TRUE(again) << again.error().message;
  expect_private("left open by an older hub must be tightened");
  struct stat data {};
  ASSERT_EQ(::stat((dir.path() / "data").c_str(), &data), 0);
  EXPECT_EQ(data.st_mode & 0777, 0700u);
}

TEST(App, RestartKeepsTheAdminToken) {
  harness::TempDir dir("hub-app");
  {
    auto first = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
    ASSERT_TRUE(first) << first.error().message;
    (*first)->Stop();
  }
  const auto token = ReadFile(dir.path() / "data" / "admin.token").value();
  auto second = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE((*second)->created_admin_token()) << "tokens exist: no second bootstrap";
  EXPECT_EQ(ReadFile(dir.path() / "data" / "admin.token").value(), token);
}

TEST(App, LooseMasterKeyStopsTheStart) {
  harness::TempDir dir("hub-app");
  ASSERT_TRUE(App::Start(ConfigIn(dir.path()), SystemClock::Instance()));
  ASSERT_EQ(::chmod((dir.path() / "data" / "master.key").c_str(), 0640), 0);
  auto app = App::Start(ConfigIn(dir.path()), SystemClock::Instance());
  ASSERT_FALSE(app);
  EXPECT_NE(app.error().message.find("chmod 600"), std::string::npos) << app.error().message;
}

}  // namespace
}  // namespace certfleet::hub
