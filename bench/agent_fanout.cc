// agent_fanout: one hub, N agents, one change that concerns all of them — the time until all
// N report the new certificate deployed (bench/agent_fanout.sh starts the processes;
// BENCHMARKS.md "Agent (issue 4)").
//
//   CERTFLEET_TOKEN=<admin> agent_fanout setup HUB_URL DIR N
//       customer "fanout", machines fan-000 … fan-(N-1), the manual domain fanout.bench.test
//       hosted on all of them, an agent token each; writes DIR/fan-XXX/{agent.toml,token}
//       (output dir DIR/fan-XXX/out, test and reload command `true`, no TLS check).
//   CERTFLEET_TOKEN=<admin> agent_fanout run HUB_URL N ROUNDS
//       waits until every agent has fetched its desired state once, runs one untimed
//       warm-up change, then ROUNDS timed changes (a fresh certificate uploaded); follows the
//       hub's event stream for the deployment reports (then checks the domain view once) and
//       prints a markdown table (header, then a row per round).
//   CERTFLEET_TOKEN=<admin> agent_fanout timed HUB_URL N ROUNDS
//       ROUNDS timed changes only (no wait, warm-up or header): after `run … 0`, so the script
//       can read the agents' CPU counters between the warm-up (first-use costs: OpenSSL's
//       configuration, lazily mapped code) and the timed rounds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "agent_bench_api.h"

namespace {

namespace fs = std::filesystem;
using certfleet::Result;
using certfleet::Status;
using certfleet::bench::AdminApi;
using certfleet::bench::Steady;
using namespace std::chrono_literals;

constexpr const char* kDomain = "fanout.bench.test";

std::string MachineName(int i) {
  char name[16];
  std::snprintf(name, sizeof name, "fan-%03d", i);
  return name;
}

Status WriteAgent(const fs::path& dir, const std::string& hub_url, const std::string& token) {
  fs::create_directories(dir / "out");
  std::ofstream(dir / "token") << token << "\n";
  fs::permissions(dir / "token", fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream toml(dir / "agent.toml");
  toml << "hub_url = \"" << hub_url << "\"\n"
       << "token_file = \"" << (dir / "token").string() << "\"\n"
       << "output_dir = \"" << (dir / "out").string() << "\"\n"
       << "test_command = \"true\"\nreload_command = \"true\"\nverify_address = \"\"\nlog_level = "
          "\"warn\"\n";
  if (!toml)
    return certfleet::Fail(certfleet::ErrorCode::kIo,
                           "cannot write " + (dir / "agent.toml").string());
  return certfleet::Ok();
}

Status Setup(AdminApi& api, const std::string& hub_url, const fs::path& dir, int n) {
  if (auto c = api.Call("POST", "/api/v1/customers", {{"name", "fanout"}, {"contact", ""}}); !c) {
    return certfleet::Fail(c.error());
  }
  std::vector<std::string> machines;
  for (int i = 0; i < n; ++i) {
    machines.push_back(MachineName(i));
    if (auto m = api.Call("POST", "/api/v1/machines",
                          {{"name", machines.back()}, {"address", "127.0.0.1"}});
        !m) {
      return certfleet::Fail(m.error());
    }
    auto token =
        api.Call("POST", "/api/v1/tokens",
                 {{"role", "agent"}, {"name", machines.back()}, {"machine", machines.back()}});
    if (!token) return certfleet::Fail(token.error());
    if (Status s = WriteAgent(dir / machines.back(), hub_url, token->value("secret", "")); !s)
      return s;
  }
  auto domain = api.Call("POST", "/api/v1/domains",
                         {{"name", kDomain},
                          {"customer", "fanout"},
                          {"machines", machines},
                          {"issuer", "manual"},
                          {"sans", nlohmann::json::array()}});
  if (!domain) return certfleet::Fail(domain.error());
  return certfleet::Ok();
}

// Until every machine's agent has been seen (its first GetDesiredState).
Status WaitForAgents(AdminApi& api, int n) {
  const auto deadline = Steady::now() + 120s;
  for (;;) {
    auto page = api.Call("GET", "/api/v1/machines?limit=1000");
    if (!page) return certfleet::Fail(page.error());
    int seen = 0;
    for (const auto& m : page->value("items", nlohmann::json::array()))
      seen += m["agent_last_seen"].is_string();
    if (seen >= n) return certfleet::Ok();
    if (Steady::now() > deadline) {
      return certfleet::Fail(
          certfleet::ErrorCode::kDeadlineExceeded,
          std::to_string(seen) + " of " + std::to_string(n) + " agents seen after 120 s");
    }
    std::this_thread::sleep_for(100ms);
  }
}

struct Round {
  double stored_to_first = -1;
  double stored_to_all = 0;
  double sent_to_all = 0;
};

// The hub's event stream as the admin sees it (every machine's events), from `since` on.
struct EventPage {
  std::int64_t revision = 0;
  nlohmann::json events;
};

Result<EventPage> ReadEvents(AdminApi& api, std::int64_t since, int wait_seconds) {
  auto page = api.Call("GET", "/api/v1/events?limit=1000&since=" + std::to_string(since) +
                                  "&wait=" + std::to_string(wait_seconds));
  if (!page) return certfleet::Fail(page.error());
  return EventPage{page->value("revision", since), page->value("events", nlohmann::json::array())};
}

// The revision of the last event so far (before a change is sent, so no report is missed).
Result<std::int64_t> LastRevision(AdminApi& api) {
  std::int64_t since = 0;
  for (;;) {
    auto page = ReadEvents(api, since, 0);
    if (!page) return certfleet::Fail(page.error());
    if (page->events.empty()) return page->revision;
    since = page->revision;
  }
}

// Follows the event stream from `since` until `n` machines reported `sha` deployed. The hub
// answers the long poll at each commit, so this costs it a page of new events per batch of
// reports. Polling the domain view every 10 ms, as before, had the hub render all N
// deployments ~100 times a second, CPU taken from the agents being measured.
Result<Round> WaitForReports(AdminApi& api, int n, const std::string& sha, std::int64_t since,
                             Steady::time_point sent, Steady::time_point stored) {
  using certfleet::bench::MillisBetween;
  std::set<std::string> machines;
  Round round;
  for (;;) {
    auto page = ReadEvents(api, since, 5);
    if (!page) return certfleet::Fail(page.error());
    const auto now = Steady::now();
    since = page->revision;
    for (const auto& e : page->events) {
      const auto& p = e.value("payload", nlohmann::json::object());
      if (e.value("type", "") == "deployment.reported" && p.value("status", "") == "deployed" &&
          p.value("sha256", "") == sha) {
        machines.insert(p.value("machine", ""));
      }
    }
    if (!machines.empty() && round.stored_to_first < 0)
      round.stored_to_first = MillisBetween(stored, now);
    if (static_cast<int>(machines.size()) >= n) {
      round.stored_to_all = MillisBetween(stored, now);
      round.sent_to_all = MillisBetween(sent, now);
      return round;
    }
    if (now - stored > 120s) {
      return certfleet::Fail(certfleet::ErrorCode::kDeadlineExceeded,
                             "only " + std::to_string(machines.size()) + " of " +
                                 std::to_string(n) + " agents reported certificate " + sha +
                                 " deployed after 120 s");
    }
  }
}

Result<Round> OneChange(AdminApi& api, int n, const certfleet::crypto::testing::IssuedLeaf& leaf) {
  const std::string sha = leaf.leaf.Sha256Fingerprint();
  auto since = LastRevision(api);
  if (!since) return certfleet::Fail(since.error());
  const auto sent = Steady::now();
  if (Status s = api.Upload(kDomain, leaf); !s) return certfleet::Fail(s.error());
  const auto stored = Steady::now();
  auto round = WaitForReports(api, n, sha, *since, sent, stored);
  if (!round) return round;
  // The hub's own view must agree with the events counted.
  auto deployed = api.CountDeployed(kDomain, sha);
  if (!deployed) return certfleet::Fail(deployed.error());
  if (*deployed < n) {
    return certfleet::Fail(certfleet::ErrorCode::kInternal,
                           "the events showed " + std::to_string(n) +
                               " deployments, the domain view " + std::to_string(*deployed));
  }
  return round;
}

// With `warm_up`: waits for the agents, prints the header and runs an untimed change first.
int RunRounds(AdminApi& api, int n, int rounds, bool warm_up) {
  auto ca = certfleet::crypto::testing::TestCa::Create(1, "agent_fanout");
  auto leaves =
      ca ? certfleet::bench::IssueLeaves(*ca, kDomain, rounds + 1) : certfleet::Fail(ca.error());
  Status ready = leaves && warm_up ? WaitForAgents(api, n)
                 : leaves          ? certfleet::Ok()
                                   : certfleet::Fail(leaves.error());
  if (!ready) {
    std::fprintf(stderr, "agent_fanout: %s\n", ready.error().message.c_str());
    return 1;
  }
  if (warm_up) {
    std::printf(
        "| round | agents | stored → first deployed (ms) | stored → all deployed (ms) | upload "
        "sent → all (ms) |\n");
    std::printf("|---|---:|---:|---:|---:|\n");
  }
  for (int i = warm_up ? 0 : 1; i <= rounds; ++i) {
    auto round = OneChange(api, n, (*leaves)[static_cast<size_t>(i)]);
    if (!round) {
      std::fprintf(stderr, "agent_fanout: round %d: %s\n", i, round.error().message.c_str());
      return 1;
    }
    std::printf("| %s | %d | %.0f | %.0f | %.0f |\n",
                i == 0 ? "warm-up" : std::to_string(i).c_str(), n, round->stored_to_first,
                round->stored_to_all, round->sent_to_all);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (!(argc == 5 && (mode == "setup" || mode == "run" || mode == "timed"))) {
    std::fprintf(stderr,
                 "usage: CERTFLEET_TOKEN=<admin> agent_fanout setup HUB_URL DIR N\n"
                 "       CERTFLEET_TOKEN=<admin> agent_fanout run|timed HUB_URL N ROUNDS\n");
    return 2;
  }
  auto api = AdminApi::Create(argv[2]);
  if (!api) {
    std::fprintf(stderr, "agent_fanout: %s\n", api.error().message.c_str());
    return 1;
  }
  if (mode != "setup")
    return RunRounds(*api, std::atoi(argv[3]), std::atoi(argv[4]), mode == "run");
  if (Status s = Setup(*api, argv[2], argv[3], std::atoi(argv[4])); !s) {
    std::fprintf(stderr, "agent_fanout: setup: %s\n", s.error().message.c_str());
    return 1;
  }
  return 0;
}
