// Benchmark: latency from commit to agent deployment, over RabbitMQ beside the hub's
// watch stream, in one run (issue 5).
//
// Starts a private rabbitmq-server, one certfleet-hub with [rabbitmq], and two
// certfleet-agents: "web-w" follows the watch stream, "web-r" consumes its RabbitMQ
// queue (watch stream off; resync and fallback 10 minutes, so only the message wakes it).
// Each round uploads a fresh certificate for each machine's domain, alternating which
// goes first, and times from the upload request's start (before the commit) until the
// agent's live/<domain>/cert.pem holds the new leaf (nginx test/reload are `true`, no TLS
// check: this measures the event path, not nginx). Prints a table.
//
//   bus_latency_bench [rounds]      (binaries: the certfleet-hub/agent of this build)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "harness/http_client.h"
#include "harness/net.h"
#include "harness/rabbitmq_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::bench {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

struct Hub {
  std::string url;
  std::string token;
  nlohmann::json Call(const std::string& method, const std::string& path,
                      const nlohmann::json& body) const {
    harness::HttpRequest request{
        .method = method,
        .body = body.is_null() ? "" : body.dump(),
        .headers = {"Authorization: Bearer " + token, "Content-Type: application/json"},
        .timeout = 30s};
    auto result = harness::HttpFetch(url + path, request);
    if (result.status / 100 != 2) {
      std::fprintf(stderr, "%s %s: %ld %s%s\n", method.c_str(), path.c_str(), result.status,
                   result.body.c_str(), result.error.c_str());
      std::exit(1);
    }
    return nlohmann::json::parse(result.body, nullptr, false);
  }
};

std::string Strip(std::string text) {
  std::erase_if(text, [](char c) { return c == '\n' || c == '\r' || c == ' '; });
  return text;
}

// A self-signed certificate for `domain`: {leaf PEM, key PEM}.
std::pair<std::string, std::string> MakeCertificate(const harness::TempDir& dir,
                                                    const std::string& domain, int n) {
  const fs::path key = dir / (domain + std::to_string(n) + ".key");
  const fs::path cert = dir / (domain + std::to_string(n) + ".pem");
  auto made = harness::RunCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                   "ec_paramgen_curve:P-256", "-nodes", "-days", "30", "-subj",
                                   "/CN=" + domain, "-addext", "subjectAltName=DNS:" + domain,
                                   "-keyout", key.string(), "-out", cert.string()});
  if (!made || made->exit_code != 0) std::exit(1);
  return {harness::ReadFileOrEmpty(cert), harness::ReadFileOrEmpty(key)};
}

std::unique_ptr<harness::Subprocess> StartAgent(const harness::TempDir& dir, const Hub& hub,
                                                const std::string& machine,
                                                const std::string& rabbitmq_url) {
  auto token = hub.Call("POST", "/api/v1/tokens",
                        {{"role", "agent"}, {"name", machine}, {"machine", machine}});
  std::ostringstream toml;
  toml << "hub_url = \"" << hub.url << "\"\ntoken = \"" << token.value("secret", "") << "\"\n"
       << "output_dir = \"" << (dir / machine).string() << "\"\n"
       << "test_command = \"true\"\nreload_command = \"true\"\nverify_address = "
          "\"\"\nresync_interval = \"10m\"\n";
  if (!rabbitmq_url.empty()) {
    toml << "[rabbitmq]\nurl = \"" << rabbitmq_url << "\"\nfallback_interval = \"10m\"\n";
  }
  fs::create_directories(dir / machine);
  auto config = dir.WriteFile(machine + ".toml", toml.str());
  auto agent =
      harness::Subprocess::Start({.argv = {CERTFLEET_AGENT_BIN, "--config", config.string()},
                                  .log_file = dir / (machine + ".log")});
  if (!agent) std::exit(1);
  return std::move(*agent);
}

// Uploads and waits until the agent's live/ copy holds the new leaf; milliseconds.
double TimeDeployment(const Hub& hub, const fs::path& out, const std::string& domain,
                      const std::pair<std::string, std::string>& cert) {
  const fs::path live = out / "live" / domain / "cert.pem";
  const std::string want = Strip(cert.first);
  const auto start = Steady::now();
  hub.Call("POST", "/api/v1/domains/" + domain + "/certificate",
           {{"chain_pem", cert.first}, {"key_pem", cert.second}});
  while (Strip(harness::ReadFileOrEmpty(live)) != want) {
    if (Steady::now() - start > 60s) {
      std::fprintf(stderr, "%s: not deployed within 60 s\n", domain.c_str());
      std::exit(1);
    }
    std::this_thread::sleep_for(200us);
  }
  return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

void PrintRow(const std::string& transport, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1))];
  };
  std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f |\n", transport.c_str(), ms.size(),
              ms.front(), at(0.5), at(0.9), ms.back());
}

int Run(int rounds) {
  auto broker = harness::RabbitMqServer::Start();
  if (!broker) return std::fprintf(stderr, "%s\n", broker.error().message.c_str()), 1;
  harness::TempDir dir("bus-latency");
  const auto port = harness::FreeLoopbackPort();
  dir.WriteFile("hub.toml", "data_dir = \"" + (dir / "hub").string() +
                                "\"\nlisten = \"127.0.0.1:" + std::to_string(port) +
                                "\"\nlog_level = \"warn\"\n[rabbitmq]\nurl = \"" +
                                (*broker)->Url() + "\"\n");
  auto hub_process = harness::Subprocess::Start(
      {.argv = {CERTFLEET_HUB_BIN, "--config", (dir / "hub.toml").string()},
       .log_file = dir / "hub.log"});
  Hub hub{"http://127.0.0.1:" + std::to_string(port), ""};
  if (!hub_process ||
      !harness::WaitFor([&] { return harness::HttpGet(hub.url + "/healthz").status == 200; },
                        60s)) {
    return std::fprintf(stderr, "the hub did not start\n"), 1;
  }
  hub.token = harness::ReadFileOrEmpty(dir / "hub" / "admin.token");
  while (!hub.token.empty() && hub.token.back() == '\n') hub.token.pop_back();
  const std::map<std::string, std::string> domains = {{"web-w", "w.bench.test"},
                                                      {"web-r", "r.bench.test"}};
  hub.Call("POST", "/api/v1/customers", {{"name", "bench"}});
  for (const auto& [machine, domain] : domains) {
    hub.Call("POST", "/api/v1/machines", {{"name", machine}, {"customer", "bench"}});
    hub.Call("POST", "/api/v1/domains",
             {{"name", domain},
              {"customer", "bench"},
              {"issuer", "manual"},
              {"machines", nlohmann::json::array({machine})}});
  }
  auto watch_agent = StartAgent(dir, hub, "web-w", "");
  auto bus_agent = StartAgent(dir, hub, "web-r", (*broker)->Url());
  std::map<std::string, std::vector<double>> ms;
  for (int round = -1; round < rounds;
       ++round) {  // round -1: warm-up (first deployment), not counted
    std::vector<std::string> order = {"web-w", "web-r"};
    if (round % 2 != 0) std::swap(order[0], order[1]);
    for (const auto& machine : order) {
      const auto& domain = domains.at(machine);
      const double t =
          TimeDeployment(hub, dir / machine, domain, MakeCertificate(dir, domain, round + 1));
      if (round >= 0) ms[machine].push_back(t);
    }
  }
  std::printf("Commit → agent deployment (live/<domain>/cert.pem written), %d rounds, ms\n\n",
              rounds);
  std::printf("| transport | n | min | median | p90 | max |\n|---|---:|---:|---:|---:|---:|\n");
  PrintRow("hub watch stream (long poll)", ms["web-w"]);
  PrintRow("RabbitMQ (agent's durable queue, manual ack)", ms["web-r"]);
  return 0;
}

}  // namespace
}  // namespace certfleet::bench

int main(int argc, char** argv) {
  return certfleet::bench::Run(argc > 1 ? std::stoi(argv[1]) : 30);
}
