// A real certfleet-hub on its embedded SQLite store (issue 14): web UI sessions live in the
// database, so restarting the hub — gracefully or by SIGKILL — signs nobody out and
// invalidates no open sign-in form, while a sign-out still ends the session for good.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "harness/hub_process.h"
#include "harness/net.h"
#include "harness/temp_dir.h"
#include "ui_browser.h"

namespace certfleet {
namespace {

using namespace std::chrono_literals;

class HubUiSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = "http://127.0.0.1:" + std::to_string(harness::FreeLoopbackPort());
    std::ofstream(dir_.path() / "hub.toml") << "data_dir = \"" << (dir_.path() / "data").string()
                                            << "\"\nlisten = \"" << base_.substr(7) << "\"\n";
  }
  void TearDown() override {
    if (!HasFailure()) return;
    std::ifstream log(dir_.path() / "hub.log");
    std::cout << "--- hub.log ---\n" << std::string(std::istreambuf_iterator<char>(log), {});
  }
  void Start() {
    auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                         .config_file = dir_.path() / "hub.toml",
                                         .data_dir = dir_.path() / "data",
                                         .base_url = base_,
                                         .log_file = dir_.path() / "hub.log"});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
  }
  void Stop(int signal) {
    ASSERT_TRUE(hub_);
    hub_->process->Signal(signal);
    ASSERT_TRUE(hub_->process->Wait(30s)) << "the hub did not exit after signal " << signal;
    hub_.reset();
  }

  harness::TempDir dir_{"hub-ui-session"};
  std::string base_;
  std::unique_ptr<harness::HubProcess> hub_;
};

TEST_F(HubUiSessionTest, ARestartSignsNobodyOutAndASignOutStaysSignedOut) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string admin = hub_->admin_token;
  harness::UiBrowser alice;
  harness::UiBrowser bob;
  ASSERT_EQ(alice.SignIn(base_, admin), 303);
  ASSERT_EQ(bob.SignIn(base_, admin), 303);
  std::string bob_csrf;
  ASSERT_TRUE(alice.SignedInOn(base_));
  ASSERT_TRUE(bob.SignedInOn(base_, &bob_csrf));

  ASSERT_NO_FATAL_FAILURE(Stop(SIGTERM));
  ASSERT_NO_FATAL_FAILURE(Start());
  EXPECT_TRUE(alice.SignedInOn(base_)) << "a graceful restart signed alice out";
  std::string csrf_after;
  EXPECT_TRUE(bob.SignedInOn(base_, &csrf_after));
  EXPECT_EQ(csrf_after, bob_csrf) << "the session's CSRF token changed with the restart";
  auto logout = bob.Browse(base_, "POST", "/ui/logout", "csrf_token=" + bob_csrf);
  EXPECT_EQ(logout.status, 303) << logout.body;

  // Carol loads the sign-in form, the hub crashes and comes back, then she submits it.
  harness::UiBrowser carol;
  const std::string form_csrf =
      harness::UiBrowser::CsrfOf(carol.Browse(base_, "GET", "/ui/login").body);
  ASSERT_FALSE(form_csrf.empty());

  ASSERT_NO_FATAL_FAILURE(Stop(SIGKILL));
  ASSERT_NO_FATAL_FAILURE(Start());
  EXPECT_TRUE(alice.SignedInOn(base_)) << "a crash signed alice out";
  EXPECT_FALSE(bob.SignedInOn(base_)) << "bob signed out, yet his session came back";
  auto carol_in = carol.Browse(base_, "POST", "/ui/login",
                               "csrf_token=" + form_csrf + "&next=%2Fui%2F&token=" + admin);
  EXPECT_EQ(carol_in.status, 303) << "a sign-in form from before the restart was refused: "
                                  << carol_in.body;
  EXPECT_TRUE(carol.SignedInOn(base_));
}

}  // namespace
}  // namespace certfleet
