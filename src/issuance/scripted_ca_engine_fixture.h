// What the engine tests share (ari_poll_test, engine_reachability_test): the real
// IssuanceEngine on the memory store and a FakeClock, with one issuer "ca" whose CA is a
// script of the test's own.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "crypto/envelope.h"
#include "harness/temp_dir.h"
#include "issuance/engine.h"
#include "net/testing/fake_transport.h"
#include "store/testing/memory_store.h"

namespace certfleet::issuance {

inline constexpr const char* kScriptedCaDirectory = "https://ca.test/dir";

class ScriptedCaEngineFixture : public ::testing::Test {
 protected:
  explicit ScriptedCaEngineFixture(std::string_view dir_prefix) : dir_(dir_prefix) {}

  // Opens store_ (a fresh memory database) and envelope_.
  void OpenStore() {
    store_ = store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase(1), &clock_);
    auto envelope = crypto::Envelope::Create(std::string(32, 'k'));
    ASSERT_TRUE(envelope);
    envelope_.emplace(std::move(*envelope));
  }

  // Creates engine_ with issuer "ca" at kScriptedCaDirectory, every request to its CA
  // answered by `ca`; `options` gets its data_dir and transport_factory here.
  void CreateEngine(EngineOptions options, net::FakeTransport::Handler ca) {
    options.data_dir = dir_.path();
    options.transport_factory = [ca = std::move(ca)](const IssuerConfig&) {
      return Result<std::unique_ptr<net::HttpTransport>>(std::make_unique<net::FakeTransport>(ca));
    };
    IssuerConfig issuer;
    issuer.name = "ca";
    issuer.directory_url = kScriptedCaDirectory;
    auto engine =
        IssuanceEngine::Create(*store_, *envelope_, clock_, {issuer}, std::move(options), nullptr);
    ASSERT_TRUE(engine) << engine.error().message;
    engine_ = std::move(*engine);
  }

  harness::TempDir dir_;
  FakeClock clock_{TimePoint(std::chrono::seconds(1'800'000'000))};
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  std::unique_ptr<IssuanceEngine> engine_;
};

}  // namespace certfleet::issuance
