#include "common/termination.h"

#include <gtest/gtest.h>

#include <csignal>

namespace certfleet {
namespace {

// The handlers are process-wide: one test installs them, checks both wake-ups, and puts
// the default dispositions back so ctest can still stop this binary on a timeout.
TEST(TerminationTest, SignalsAndRaiseTerminationWakeTheWaitingThread) {
  InstallTerminationHandlers();
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGTERM)
      << "SIGTERM must be delivered to the waiter, not kill the process";
  ASSERT_EQ(std::raise(SIGINT), 0);
  EXPECT_EQ(WaitForTerminationSignal(), SIGINT);
  RaiseTermination();
  EXPECT_EQ(WaitForTerminationSignal(), SIGTERM);
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
}

}  // namespace
}  // namespace certfleet
