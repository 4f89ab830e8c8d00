// The web UI in a real browser: Pebble + certfleet-hub as real processes on free loopback
// ports, then tests/browser/ui_flow.mjs drives Debian's chromium through the support
// staff's tasks (see that file for the steps). Pebble's HTTP-01 requests go straight to the
// hub's listener, which answers /.well-known/acme-challenge/ itself.
// Screenshots land in <build dir>/test-output/browser/ for review.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::browser {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

// Bounds for waits under debug + ASan on shared cores; they are not sleeps.
constexpr milliseconds kStartTimeout = seconds(60);
constexpr milliseconds kFlowTimeout = seconds(600);

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::make_unique<harness::TempDir>("browser");
    hub_port_ = harness::FreeLoopbackPort();
    auto pebble = harness::PebbleServer::Start({.http_port = hub_port_, .nonce_reject_percent = 0});
    ASSERT_TRUE(pebble) << "Pebble did not start: " << pebble.error().message;
    pebble_ = std::move(*pebble);
    WriteHubConfig();
    ASSERT_NO_FATAL_FAILURE(StartHub());
    ASSERT_NO_FATAL_FAILURE(MakeMismatchedUpload());
  }

  void TearDown() override {
    if (HasFailure() && hub_) std::cerr << "--- certfleet-hub log\n" << hub_->Log() << "\n";
  }

  std::string HubUrl() const { return "http://127.0.0.1:" + std::to_string(hub_port_); }

  void WriteHubConfig() {
    std::ostringstream toml;
    toml << "data_dir = \"" << (*dir_ / "hub").string() << "\"\n"
         << "listen = \"127.0.0.1:" << hub_port_ << "\"\n\n"
         << "[issuance]\npoll_interval_seconds = 1\n\n"
         << "[[issuer]]\n"
         << "name = \"pebble\"\n"
         << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
         << "ca_file = \"" << pebble_->CaFile() << "\"\n"
         << "contact = \"browser@certfleet.test\"\n";
    dir_->WriteFile("hub.toml", toml.str());
  }

  void StartHub() {
    auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                         .config_file = *dir_ / "hub.toml",
                                         .data_dir = *dir_ / "hub",
                                         .base_url = HubUrl(),
                                         .log_file = *dir_ / "hub.log",
                                         .start_timeout = kStartTimeout});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::move(hub->process);
    admin_token_ = hub->admin_token;
  }

  // A valid certificate for manual.browser.test and a key that is not its own.
  void MakeMismatchedUpload() {
    const std::string cert = (*dir_ / "manual-chain.pem").string();
    const std::string own_key = (*dir_ / "manual-key.pem").string();
    const std::string other_key = (*dir_ / "other-key.pem").string();
    auto made = harness::RunCommand(
        {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "30", "-subj", "/CN=manual.browser.test", "-addext",
         "subjectAltName=DNS:manual.browser.test", "-keyout", own_key, "-out", cert});
    ASSERT_TRUE(made && made->exit_code == 0) << (made ? made->output : made.error().message);
    auto other = harness::RunCommand({"openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                                      "ec_paramgen_curve:P-256", "-out", other_key});
    ASSERT_TRUE(other && other->exit_code == 0) << (other ? other->output : other.error().message);
  }

  std::unique_ptr<harness::TempDir> dir_;
  std::uint16_t hub_port_ = 0;
  std::unique_ptr<harness::PebbleServer> pebble_;
  std::unique_ptr<harness::Subprocess> hub_;
  std::string admin_token_;
};

TEST_F(BrowserTest, SupportStaffFlowInChromium) {
  const fs::path out = fs::path(CERTFLEET_BROWSER_OUT_DIR);
  fs::create_directories(out);
  const fs::path log = *dir_ / "ui_flow.log";
  auto flow = harness::Subprocess::Start(
      {.argv = {"node", CERTFLEET_BROWSER_DIR "/ui_flow.mjs"},
       .env = {{"HUB_URL", HubUrl()},
               {"ADMIN_TOKEN", admin_token_},
               {"OUT_DIR", out.string()},
               {"MANUAL_CHAIN", (*dir_ / "manual-chain.pem").string()},
               {"OTHER_KEY", (*dir_ / "other-key.pem").string()},
               {"CHALLTESTSRV_URL",
                "http://127.0.0.1:" + std::to_string(pebble_->challtestsrv_port())},
               {"HOME", dir_->path().string()}},
       .log_file = log,
       .working_dir = CERTFLEET_BROWSER_DIR});
  ASSERT_TRUE(flow) << flow.error().message;
  const auto exit_code = (*flow)->Wait(kFlowTimeout);
  if (!exit_code) (*flow)->Stop();
  EXPECT_EQ(exit_code, std::optional<int>(0))
      << "ui_flow.mjs failed (screenshots in " << out.string() << "):\n"
      << harness::ReadFileOrEmpty(log);
  std::cout << harness::ReadFileOrEmpty(log);
  EXPECT_TRUE(fs::exists(out / "dashboard.png")) << "no dashboard screenshot in " << out;
  EXPECT_TRUE(fs::exists(out / "domain-page.png")) << "no domain page screenshot in " << out;
}

}  // namespace
}  // namespace certfleet::browser
