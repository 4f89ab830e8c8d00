// The capacity warning of issue 20 on real parts: a certfleet-hub process ordering from
// Pebble under a tiny pacing limit (1 order per 24 h) with more than that to renew: Pebble
// issues 1-hour certificates, so the one certificate the day's order got renews within the
// day, and a second domain waits for its first one.
// The hub must say so in GET /api/v1/status ("needs attention", kind capacity) and, at its
// next notification scan (here: the one at start-up, after a restart), in its support chat
// (a webhook receiver subscribed to "capacity").
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "harness/hub_process.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/temp_dir.h"
#include "notify/testing/webhook_receiver.h"

namespace certfleet {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class HubCapacityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pebble = harness::PebbleServer::Start({.nonce_reject_percent = 0,
                                                .always_valid = true,
                                                .certificate_validity = std::chrono::hours(1)});
    ASSERT_TRUE(pebble) << pebble.error().message;
    pebble_ = std::move(*pebble);
    port_ = harness::FreeLoopbackPort();
    std::ofstream(dir_.path() / "hub.toml")
        << "data_dir = \"" << (dir_.path() / "data").string() << "\"\n"
        << "listen = \"127.0.0.1:" << port_ << "\"\n\n"
        << "[[issuer]]\nname = \"pebble\"\n"
        << "directory = \"" << pebble_->DirectoryUrl() << "\"\n"
        << "ca_file = \"" << pebble_->CaFile() << "\"\n"
        << "orders_per_window = 1\nwindow_seconds = 86400\n\n"
        << "[notify]\n[[notify.channel]]\nname = \"support-chat\"\ntype = \"slack\"\n"
        << "url = \"" << chat_.Url("/chat") << "\"\nevents = [\"capacity\"]\n"
        << "group_window_seconds = 0\n";
  }

  void StartHub() {
    hub_.reset();
    auto hub = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                         .config_file = dir_.path() / "hub.toml",
                                         .data_dir = dir_.path() / "data",
                                         .base_url = "http://127.0.0.1:" + std::to_string(port_),
                                         .log_file = dir_.path() / "hub.log"});
    ASSERT_TRUE(hub) << hub.error().message;
    hub_ = std::make_unique<harness::HubProcess>(std::move(*hub));
  }

  json Status() {
    auto r = hub_->AdminApi("GET", "/api/v1/status");
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }

  harness::TempDir dir_{"hub-capacity"};
  std::unique_ptr<harness::PebbleServer> pebble_;
  notify::testing::WebhookReceiver chat_;
  std::uint16_t port_ = 0;
  std::unique_ptr<harness::HubProcess> hub_;
};

// The warning comes from the renewal (1 due within the day against 1 order a day, 100 %);
// the domain waiting for its first certificate only adds to the backlog, alone no warning.
TEST_F(HubCapacityTest, RenewalsThatFillTheDaysPacingAreAWarningInStatusAndChat) {
  ASSERT_NO_FATAL_FAILURE(StartHub());
  for (const char* name : {"a.example.test", "b.example.test"}) {
    auto r = hub_->AdminApi("POST", "/api/v1/domains",
                            std::string(R"({"name":")") + name + R"(","issuer":"pebble"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  // One domain gets the day's only order, and its renewal within the hour needs another.
  json capacity;
  const bool seen = harness::WaitFor(
      [&] {
        for (const json& item : Status().value("attention", json::array())) {
          if (item.value("kind", "") == "capacity") capacity = item;
        }
        return capacity.is_object();
      },
      60s);
  ASSERT_TRUE(seen) << "no capacity item in GET /api/v1/status: " << Status().dump(2);
  const std::string message = capacity.value("message", "");
  EXPECT_EQ(capacity.value("tone", ""), "warn") << message;
  for (const char* part : {"issuer pebble: renewals due within 24 h: 1 (",
                           "orders the pacing allows: 1 (1 per 24 h), 100 %",
                           "first certificates waiting: 1", "add ACME accounts", "higher limit"}) {
    EXPECT_NE(message.find(part), std::string::npos) << "missing \"" << part << "\": " << message;
  }
  EXPECT_TRUE(Status().value("needs_attention", false));

  // The notifier scans at start-up (then every 15 min): a restart makes it look now.
  ASSERT_NO_FATAL_FAILURE(StartHub());
  ASSERT_TRUE(harness::WaitFor([&] { return chat_.Count("/chat") > 0; }, 60s))
      << "the support chat heard nothing of the capacity";
  const json chat = json::parse(chat_.Requests("/chat").front().body, nullptr, false);
  const std::string text = chat.value("text", chat.dump());
  EXPECT_NE(text.find("issuer pebble"), std::string::npos) << text;
  EXPECT_NE(text.find("add ACME accounts"), std::string::npos) << text;
}

}  // namespace
}  // namespace certfleet
