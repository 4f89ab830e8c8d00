#include "common/termination.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>

namespace certfleet {
namespace {

int g_signal_pipe[2] = {-1, -1};

extern "C" void OnTerminationSignal(int signal) {
  const char byte = static_cast<char>(signal);
  const int saved = errno;
  [[maybe_unused]] auto n = ::write(g_signal_pipe[1], &byte, 1);
  errno = saved;
}

}  // namespace

void InstallTerminationHandlers() {
  if (::pipe(g_signal_pipe) != 0) return;
  struct sigaction action {};
  action.sa_handler = OnTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

void InstallHangupHandler() {
  struct sigaction action {};
  action.sa_handler = OnTerminationSignal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGHUP, &action, nullptr);
}

int WaitForTerminationSignal() {
  char byte = 0;
  while (::read(g_signal_pipe[0], &byte, 1) < 0 && errno == EINTR) {
  }
  return byte;
}

void RaiseTermination() { OnTerminationSignal(SIGTERM); }

}  // namespace certfleet
