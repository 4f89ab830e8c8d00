// served_probe: when does a TLS server first present a new certificate for a name?
// bench/pipeline.sh runs one per domain, for certfleet's way and the seed system's way alike,
// so both end at the same event: the first handshake that shows the new certificate.
//
//   served_probe TLS_ADDRESS SNI OLD_SHA256 [INTERVAL_MS [TIMEOUT_MS]]
//
// TLS handshakes with SNI (the agent's own FetchServedSha256), one every INTERVAL_MS
// (default 5) after the previous one ends. OLD_SHA256 is what the server presents for SNI
// before the change (for a new name: the default server's certificate). Prints "ready" once
// a first handshake has shown OLD_SHA256 (or failed), then, when a handshake presents any
// other certificate, "<epoch ms when that handshake ended> <its SHA-256>" and exits 0.
// Exit 1 after TIMEOUT_MS (default 60000) or on bad arguments.
//
// Each handshake costs ~1 ms of this process's CPU and ~0.6 ms of nginx's worker on the
// bench machine: at 5 ms the prober takes ~20-30 % of one core while it runs, for both ways.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "agent/live_verifier.h"

namespace {

using namespace std::chrono_literals;

long long EpochMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int PositiveArg(int argc, char** argv, int index, int fallback) {
  if (argc <= index) return fallback;
  const int value = std::atoi(argv[index]);
  return value > 0 ? value : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const int interval_ms = PositiveArg(argc, argv, 4, 5);
  const int timeout_ms = PositiveArg(argc, argv, 5, 60000);
  if (argc < 4 || argc > 6 || interval_ms < 0 || timeout_ms < 0) {
    std::fprintf(stderr,
                 "usage: served_probe TLS_ADDRESS SNI OLD_SHA256 [INTERVAL_MS [TIMEOUT_MS]] "
                 "(positive ms)\n");
    return 1;
  }
  const std::string address = argv[1], sni = argv[2], old_sha = argv[3];
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  bool ready = false;
  while (std::chrono::steady_clock::now() < deadline) {
    auto served = certfleet::agent::FetchServedSha256(address, sni, 1s);
    if (served && *served != old_sha) {
      std::printf("%lld %s\n", EpochMillis(), served->c_str());
      return 0;
    }
    if (!ready) {
      std::printf("ready\n");
      std::fflush(stdout);
      ready = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(interval_ms));
  }
  std::fprintf(stderr, "served_probe: %s (SNI %s) still presents %s after %d ms\n", address.c_str(),
               sni.c_str(), old_sha.c_str(), timeout_ms);
  return 1;
}
