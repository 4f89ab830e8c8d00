// [store]: SQLite by default; PostgreSQL by backend + url, the password never in hub.toml
// nor in the url, and a password file only when nobody else may read it.
#include "hub/store_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <map>

#include "hub/config.h"

namespace certfleet::hub {
namespace {

Result<HubConfig> Load(std::string_view toml, std::map<std::string, std::string> env = {}) {
  auto config = ParseHubConfig(toml, "hub.toml");
  if (!config) return config;
  if (auto s = ApplyEnvironment(*config,
                                [&](std::string_view name) -> std::optional<std::string> {
                                  auto it = env.find(std::string(name));
                                  return it == env.end() ? std::nullopt
                                                         : std::optional<std::string>(it->second);
                                });
      !s) {
    return Fail(s.error());
  }
  if (auto s = ValidateHubConfig(*config); !s) return Fail(s.error());
  return config;
}

constexpr const char* kUrl = "postgresql://certfleet@db.example.net:5432/certfleet";

TEST(StoreConfig, NoSectionMeansSqlite) {
  auto config = Load("data_dir = \"/tmp/x\"\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->store.EffectiveBackend(), "sqlite");
}

TEST(StoreConfig, PostgresWithUrlAndPool) {
  auto config =
      Load(std::string("data_dir = \"/tmp/x\"\n[store]\nbackend = \"postgres\"\nurl = \"") + kUrl +
           "\"\nconnections = 12\n");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->store.EffectiveBackend(), "postgres");
  EXPECT_EQ(config->store.connections, 12);
}

TEST(StoreConfig, UrlFromTheEnvironmentSelectsPostgres) {
  auto config = Load("data_dir = \"/tmp/x\"\n",
                     {{"CERTFLEET_HUB_STORE_URL", kUrl}, {"CERTFLEET_HUB_STORE_PASSWORD", "pw"}});
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->store.EffectiveBackend(), "postgres");
  auto password = ResolveStorePassword(config->store);
  ASSERT_TRUE(password);
  EXPECT_EQ(*password, "pw");
}

TEST(StoreConfig, PostgresWithoutUrlNamesTheKey) {
  auto config = Load("data_dir = \"/tmp/x\"\n[store]\nbackend = \"postgres\"\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("store.url"), std::string::npos) << config.error().message;
}

TEST(StoreConfig, UnknownBackendIsRefused) {
  auto config = Load("data_dir = \"/tmp/x\"\n[store]\nbackend = \"mysql\"\n");
  ASSERT_FALSE(config);
  EXPECT_NE(config.error().message.find("store.backend"), std::string::npos);
}

TEST(StoreConfig, PasswordInTheFileOrTheUrlIsRefusedWithoutEchoingIt) {
  auto in_file = Load(std::string("data_dir = \"/tmp/x\"\n[store]\nurl = \"") + kUrl +
                      "\"\npassword = \"hunter2secret\"\n");
  ASSERT_FALSE(in_file);
  EXPECT_NE(in_file.error().message.find("password_file"), std::string::npos);
  EXPECT_EQ(in_file.error().message.find("hunter2secret"), std::string::npos);
  auto in_url =
      Load("data_dir = \"/tmp/x\"\n[store]\nurl = \"postgresql://u:hunter2secret@db/certfleet\"\n");
  ASSERT_FALSE(in_url);
  EXPECT_NE(in_url.error().message.find("password_file"), std::string::npos);
  EXPECT_EQ(in_url.error().message.find("hunter2secret"), std::string::npos);
}

TEST(StoreConfig, PasswordFileMustBePrivate) {
  const std::string file = ::testing::TempDir() + "store_password_" + std::to_string(::getpid());
  std::ofstream(file) << "s3cret\n";
  StoreSettings settings;
  settings.url = kUrl;
  settings.password_file = file;
  ::chmod(file.c_str(), 0644);
  auto loose = ResolveStorePassword(settings);
  ASSERT_FALSE(loose);
  EXPECT_EQ(loose.error().code, ErrorCode::kPermissionDenied);
  EXPECT_NE(loose.error().message.find("chmod 600"), std::string::npos);
  EXPECT_EQ(loose.error().message.find("s3cret"), std::string::npos);
  ::chmod(file.c_str(), 0600);
  auto ok = ResolveStorePassword(settings);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*ok, "s3cret");
  ::unlink(file.c_str());
}

}  // namespace
}  // namespace certfleet::hub
