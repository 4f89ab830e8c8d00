// ServiceTest: the service layer over a real SQLite store in a temp dir, without HTTP.
// The issuance worker is a counter: tests see how often a save woke it.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include "common/clock.h"
#include "crypto/envelope.h"
#include "harness/temp_dir.h"
#include "hub/config.h"
#include "hub/service/context.h"
#include "store/store.h"

namespace certfleet::hub::service {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Creates a customer / machine through the service; fails the test otherwise.
  void MakeCustomer(const std::string& name);
  void MakeMachine(const std::string& name);

  std::unique_ptr<harness::TempDir> dir_;
  HubConfig config_;
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  // Real time (the upload checks compare with certificate dates), whole milliseconds
  // as the store keeps them, so saved times compare equal.
  FakeClock clock_{std::chrono::floor<std::chrono::milliseconds>(SystemClock::Instance().Now())};
  int wakes_ = 0;
  std::optional<ServiceContext> s_;
  store::Actor actor_{"token:1 (tester)"};
};

}  // namespace certfleet::hub::service
