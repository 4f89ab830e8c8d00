// agent_latency: time from a certificate stored in the hub to nginx serving it, through a
// running certfleet-agent on the hub's watch stream (bench/agent_latency.sh starts the
// servers; BENCHMARKS.md "Agent (issue 4)").
//
//   CERTFLEET_TOKEN=<admin> agent_latency HUB_URL DOMAIN TLS_ADDRESS COUNT
//                           [FLOOR_LIVE_DIR NGINX_CMD [NGINX_PID_FILE]]
//
// DOMAIN must be a manual domain hosted by the agent's machine, served by nginx at
// TLS_ADDRESS. One untimed warm-up update, then COUNT updates, each: upload a fresh
// certificate (POST), probe nginx with TLS handshakes (SNI DOMAIN, one every PROBE_MS ms,
// default 5, after the previous one ends) until it presents the new leaf, then poll the hub until the agent has reported it deployed, so
// every update starts from a settled agent. Prints a markdown table of percentiles.
//
// The floor (optional): after each agent update, the same nginx swap done by hand, the
// cheapest way there is — write the files of "floor.bench.test" into FLOOR_LIVE_DIR
// (write + rename, no fsync, no checks), `NGINX_CMD -t -q` spawned by the agent's own
// RunCheckedCommand, then the agent's reload: SIGHUP to NGINX_PID_FILE's master (the
// agent's SignalPidFile) or, without NGINX_PID_FILE, `NGINX_CMD -s reload`; probed from
// the start as the agent's updates are. Interleaved, so both see the same machine load;
// agent − floor is our cost (hub, checks, durable install, the agent's own probes).
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "agent/live_verifier.h"
#include "agent/reload_signal.h"
#include "agent/shell_command.h"
#include "agent_bench_api.h"

namespace {

using certfleet::Result;
using certfleet::Status;
using certfleet::bench::Steady;
using namespace std::chrono_literals;

// Each probe is a full TLS handshake: about 1 ms of client CPU and 0.6 ms of nginx's
// worker (measured on this 2-core machine). At 2 ms the prober alone kept ~45% of a core
// busy and slowed the nginx -t and reload it measures; 5 ms is the default, PROBE_MS sets it.
std::chrono::milliseconds ProbeInterval() {
  const char* ms = std::getenv("PROBE_MS");
  return std::chrono::milliseconds(ms != nullptr && std::atoi(ms) > 0 ? std::atoi(ms) : 5);
}
const std::chrono::milliseconds kProbeInterval = ProbeInterval();
constexpr auto kCommandTimeout = 30s;
constexpr auto kReportPollInterval = 5ms;
constexpr auto kUpdateTimeout = 30s;

struct Sample {
  double stored_to_served = 0;    // POST answered (stored) → nginx presents the leaf
  double sent_to_served = 0;      // POST sent → nginx presents the leaf
  double stored_to_reported = 0;  // POST answered → the hub shows the agent's "deployed"
};

struct Target {
  std::string domain;
  std::string address;
  std::string floor_live;  // "" = no floor
  std::string nginx_cmd;
  std::string nginx_pid_file;  // "" = the floor reloads by `nginx -s reload`
};

constexpr const char* kFloorDomain = "floor.bench.test";

// Polls `done` every `interval` until it returns true (the time then) or the deadline.
template <typename Done>
Result<Steady::time_point> WaitUntil(Done done, std::chrono::milliseconds interval,
                                     const std::string& what) {
  const auto deadline = Steady::now() + kUpdateTimeout;
  for (;;) {
    if (done()) return Steady::now();
    if (Steady::now() > deadline) {
      return certfleet::Fail(certfleet::ErrorCode::kDeadlineExceeded,
                             what + " did not happen within 30 s");
    }
    std::this_thread::sleep_for(interval);
  }
}

Result<Sample> OneUpdate(certfleet::bench::AdminApi& api, const Target& target,
                         const certfleet::crypto::testing::IssuedLeaf& leaf) {
  const std::string sha = leaf.leaf.Sha256Fingerprint();
  const auto sent = Steady::now();
  if (Status s = api.Upload(target.domain, leaf); !s) return certfleet::Fail(s.error());
  const auto stored = Steady::now();
  auto served = WaitUntil(
      [&] {
        auto got = certfleet::agent::FetchServedSha256(target.address, target.domain, 1s);
        return got && *got == sha;
      },
      kProbeInterval, "nginx serving certificate " + sha);
  if (!served) return certfleet::Fail(served.error());
  auto reported = WaitUntil(
      [&] {
        auto n = api.CountDeployed(target.domain, sha);
        return n && *n > 0;
      },
      kReportPollInterval, "the agent's deployment report for " + sha);
  if (!reported) return certfleet::Fail(reported.error());
  using certfleet::bench::MillisBetween;
  return Sample{MillisBetween(stored, *served), MillisBetween(sent, *served),
                MillisBetween(stored, *reported)};
}

// Plain write + rename (what `cp` to a temp name and `mv` do): no fsync, no checks.
bool WriteQuick(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  std::FILE* f = std::fopen(temp.c_str(), "w");
  if (f == nullptr) return false;
  const bool written = std::fwrite(content.data(), 1, content.size(), f) == content.size();
  return std::fclose(f) == 0 && written && std::rename(temp.c_str(), path.c_str()) == 0;
}

Result<double> OneFloorUpdate(const Target& target,
                              const certfleet::crypto::testing::IssuedLeaf& leaf) {
  const std::string sha = leaf.leaf.Sha256Fingerprint();
  const auto start = Steady::now();
  // Probed from the start, like the agent's updates: the same 2 ms handshake load is on
  // the two cores while nginx -t and the reload run, so agent − floor compares like with like.
  std::atomic<bool> abandoned{false};
  Result<Steady::time_point> served =
      certfleet::Fail(certfleet::ErrorCode::kInternal, "not probed");
  std::thread prober([&] {
    served = WaitUntil(
        [&] {
          if (abandoned.load()) return true;
          auto got = certfleet::agent::FetchServedSha256(target.address, kFloorDomain, 1s);
          return got && *got == sha;
        },
        kProbeInterval, "nginx serving the floor's certificate " + sha);
  });
  const std::string& dir = target.floor_live;
  Status swapped = certfleet::Ok();
  if (!WriteQuick(dir + "/fullchain.pem", leaf.chain_pem) ||
      !WriteQuick(dir + "/privkey.pem", leaf.key_pem)) {
    swapped =
        certfleet::Fail(certfleet::ErrorCode::kIo, "cannot write the floor's files in " + dir);
  } else if (auto tested =
                 certfleet::agent::RunCheckedCommand(target.nginx_cmd + " -t -q", kCommandTimeout);
             !tested) {
    swapped = certfleet::Fail(tested.error().WithContext("the floor's nginx -t"));
  } else if (!target.nginx_pid_file.empty()) {
    auto signalled = certfleet::agent::SignalPidFile(target.nginx_pid_file, SIGHUP);
    if (!signalled) swapped = certfleet::Fail(signalled.error().WithContext("the floor's SIGHUP"));
  } else {
    swapped = certfleet::agent::RunCheckedCommand(target.nginx_cmd + " -s reload", kCommandTimeout);
  }
  if (!swapped) abandoned = true;
  prober.join();
  if (!swapped) return certfleet::Fail(swapped.error());
  if (!served) return certfleet::Fail(served.error());
  return certfleet::bench::MillisBetween(start, *served);
}

void PrintRow(const char* name, const std::vector<double>& v) {
  using certfleet::bench::Percentile;
  std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f | %.1f |\n", name, v.size(),
              Percentile(v, 50), Percentile(v, 90), Percentile(v, 99), Percentile(v, 100),
              Percentile(v, 0.0001));
}

int Run(const std::string& hub_url, const Target& target, int count) {
  auto api = certfleet::bench::AdminApi::Create(hub_url);
  auto ca = certfleet::crypto::testing::TestCa::Create(1, "agent_latency");
  if (!api || !ca) {
    std::fprintf(stderr, "agent_latency: %s\n", (api ? ca.error() : api.error()).message.c_str());
    return 1;
  }
  auto leaves = certfleet::bench::IssueLeaves(*ca, target.domain, count + 1);
  auto floor_leaves =
      certfleet::bench::IssueLeaves(*ca, kFloorDomain, target.floor_live.empty() ? 0 : count + 1);
  if (!leaves || !floor_leaves) {
    std::fprintf(stderr, "agent_latency: %s\n",
                 (leaves ? floor_leaves.error() : leaves.error()).message.c_str());
    return 1;
  }
  std::vector<double> stored_to_served, sent_to_served, stored_to_reported, floor;
  for (int i = 0; i <= count; ++i) {
    const auto at = static_cast<size_t>(i);
    auto sample = OneUpdate(*api, target, (*leaves)[at]);
    auto floor_ms = target.floor_live.empty() ? Result<double>(0.0)
                                              : OneFloorUpdate(target, (*floor_leaves)[at]);
    if (!sample || !floor_ms) {
      std::fprintf(stderr, "agent_latency: update %d: %s\n", i,
                   (sample ? floor_ms.error() : sample.error()).message.c_str());
      return 1;
    }
    if (i == 0) continue;  // warm-up: first handshakes, first upload, page cache
    stored_to_served.push_back(sample->stored_to_served);
    sent_to_served.push_back(sample->sent_to_served);
    stored_to_reported.push_back(sample->stored_to_reported);
    if (!target.floor_live.empty()) floor.push_back(*floor_ms);
  }
  std::printf("| interval | updates | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | min (ms) |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  PrintRow("stored in the hub → served by nginx", stored_to_served);
  PrintRow("upload sent → served by nginx", sent_to_served);
  PrintRow("stored in the hub → agent reported deployed (after its 3-handshake check)",
           stored_to_reported);
  if (!floor.empty()) {
    PrintRow(target.nginx_pid_file.empty()
                 ? "floor: files written by hand → nginx -t → nginx -s reload → served (no hub, no "
                   "agent)"
                 : "floor: files written by hand → nginx -t → SIGHUP → served (no hub, no agent)",
             floor);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5 || argc == 6 || argc > 8) {
    std::fprintf(stderr,
                 "usage: CERTFLEET_TOKEN=<admin> agent_latency HUB_URL DOMAIN TLS_ADDRESS COUNT "
                 "[FLOOR_LIVE_DIR NGINX_CMD [NGINX_PID_FILE]]\n");
    return 2;
  }
  Target target{argv[2], argv[3], argc >= 7 ? argv[5] : "", argc >= 7 ? argv[6] : "",
                argc == 8 ? argv[7] : ""};
  return Run(argv[1], target, std::atoi(argv[4]));
}
