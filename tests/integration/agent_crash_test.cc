// The agent's writer killed with SIGKILL at random points of its writes, over and over:
// after each kill, Repair() (what the agent runs on start) must leave every live/ pair
// consistent (leaf and key belong together, and the manifest names that leaf).
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <random>
#include <thread>

#include "agent/bundle_check.h"
#include "agent/cert_store.h"
#include "agent/testing/agent_test_util.h"
#include "harness/net.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::agent {
namespace {

void WriteVersion(const harness::TempDir& dir, const std::string& name,
                  const testing::TestCertificate& c) {
  dir.WriteFile(name + "/cert.pem", c.files.cert);
  dir.WriteFile(name + "/chain.pem", c.files.chain);
  dir.WriteFile(name + "/fullchain.pem", c.files.fullchain);
  dir.WriteFile(name + "/privkey.pem", c.files.privkey);
  dir.WriteFile(name + "/sha256", c.desired.sha256);
}

TEST(AgentCrashTest, SigkillDuringWritesNeverLeavesAMismatchedPair) {
  auto ca = crypto::testing::TestCa::Create().value();
  harness::TempDir dir("agent-crash");
  const auto a = testing::MakeCertificate(ca, "shop.example.com", 1);
  const auto b = testing::MakeCertificate(ca, "shop.example.com", 2);
  WriteVersion(dir, "a", a);
  WriteVersion(dir, "b", b);
  const std::filesystem::path out = dir / "out";
  std::mt19937 rng(12345);
  constexpr int kKills = 20;
  int interrupted = 0;  // kills that landed between the renames of an install
  for (int round = 0; round < kKills; ++round) {
    auto helper = harness::Subprocess::Start(
        {.argv = {CERTFLEET_WRITE_LOOP_HELPER, out.string(), "shop.example.com",
                  (dir / "a").string(), (dir / "b").string()},
         .log_file = dir / ("helper-" + std::to_string(round) + ".log")});
    ASSERT_TRUE(helper) << helper.error().message;
    // Kill somewhere inside a write: after the first install, at a random moment.
    ASSERT_TRUE(
        harness::WaitFor([&] { return !(*helper)->Log().empty() || !(*helper)->IsRunning(); },
                         std::chrono::seconds(60)))
        << "the helper neither installed nor ended";
    // Let it run for a random while (it may kill itself inside an install), then kill it.
    // It may have killed itself already: after its first install it is armed, and on a busy
    // machine it installs several times before this thread looks again. That was the flake
    // ("IsRunning" false here): what matters is that it ended by SIGKILL, never by an error.
    const std::chrono::milliseconds lifetime(std::uniform_int_distribution<int>(0, 200)(rng));
    harness::WaitFor([&] { return !(*helper)->IsRunning(); }, lifetime);
    (*helper)->Signal(SIGKILL);
    // The next round's Repair must not race a writer that is still dying.
    const auto ended = (*helper)->Wait(std::chrono::seconds(60));
    ASSERT_TRUE(ended) << "round " << round << ": the helper outlived SIGKILL";
    ASSERT_EQ(*ended, 128 + SIGKILL) << "round " << round << ": the helper failed instead of "
                                     << "being killed:\n"
                                     << (*helper)->Log();
    ASSERT_FALSE((*helper)->Log().empty()) << "round " << round << ": killed before any install";

    CertStore store(out);
    auto repaired = store.Repair();
    ASSERT_TRUE(repaired) << "round " << round << ": " << repaired.error().message;
    interrupted += static_cast<int>(repaired->size());
    auto inventory = store.ReadInventory();
    ASSERT_TRUE(inventory);
    const std::string sha = inventory->at("shop.example.com").sha256;
    ASSERT_TRUE(sha == a.desired.sha256 || sha == b.desired.sha256)
        << "round " << round << ": manifest and leaf disagree";
    auto live = store.ReadLive("shop.example.com");
    ASSERT_TRUE(live) << live.error().message;
    auto pair = CheckPemFiles(*live, sha);
    ASSERT_TRUE(pair) << "round " << round << ": " << pair.error().message;
  }
  EXPECT_GT(interrupted, 0) << "no kill hit an install's critical window; the test proved nothing";
  std::cout << kKills << " kills, " << interrupted
            << " landed inside the live renames and were repaired\n";
}

}  // namespace
}  // namespace certfleet::agent
