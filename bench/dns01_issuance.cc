// Benchmark (issue 15): domain saved → certificate valid, for a wildcard by DNS-01 through
// the hub's delegated zone, for a wildcard by DNS-01 through RFC 2136 to BIND, and by
// HTTP-01 (which cannot prove a wildcard: apex + www instead, so every order has two
// authorizations), one hub, one Pebble (PEBBLE_VA_NOSLEEP), one BIND, in one run.
//
// BIND is the customer's DNS for dlg.test (where the CNAMEs are), the provider's DNS for
// rfc.test (updated by the hub with TSIG), holds `* A 127.0.0.1` for web.test (HTTP-01
// reaches the hub's own port), and is the resolver Pebble and the hub's delegation check
// ask: it forwards the delegated zone acme.hub.test to the hub's DNS responder.
//
// Delegated domains are prepared as a customer would: saved once to learn their label
// (GET …/dns01), deleted, the CNAMEs created in BIND (nsupdate), then saved again for the
// timed run (the label is kept by name, so the CNAME stays right). The timed part of a
// delegated domain therefore includes the hub's delegation check before the order.
//
// Each round saves one domain of each way, one after another (the order rotates), and
// polls GET /api/v1/domains/{name} every 10 ms from the save's start until "valid" (or
// "failed", or 120 s). Prints a table (ms).
//
//   dns01_issuance_bench [domains_per_way=20]   (the certfleet-hub of this build)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "harness/http_client.h"
#include "harness/hub_process.h"
#include "harness/named_server.h"
#include "harness/net.h"
#include "harness/pebble_server.h"
#include "harness/subprocess.h"
#include "harness/temp_dir.h"

namespace certfleet::bench {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

constexpr const char* kZone = "acme.hub.test";

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "dns01_issuance_bench: %s\n", message.c_str());
  std::exit(1);
}

struct Hub {
  std::string url;
  std::string token;
  harness::HttpClient client;

  harness::HttpResult Call(const std::string& method, const std::string& path,
                           const std::string& body = "") {
    return client.Fetch(url + path, {.method = method,
                                     .body = body,
                                     .headers = {"Authorization: Bearer " + token,
                                                 "Content-Type: application/json"},
                                     .timeout = 30s});
  }
  json Must(const std::string& method, const std::string& path, const std::string& body = "") {
    harness::HttpResult r = Call(method, path, body);
    if (r.status / 100 != 2) {
      Die(method + " " + path + ": " + std::to_string(r.status) + " " + r.body + r.error);
    }
    return r.body.empty() ? json() : json::parse(r.body, nullptr, false);
  }
};

struct Way {
  std::string title;
  std::string zone;
  bool wildcard = true;
  std::vector<double> ms;
  std::vector<std::string> failures;
};

std::string SaveBody(const std::string& name, bool wildcard) {
  json body = {{"name", name}, {"issuer", "pebble"}};
  body["sans"] = wildcard ? json::array({"*." + name}) : json::array({"www." + name});
  return body.dump();
}

// Saves `name` and polls it until valid; the milliseconds, or the failure in words.
std::variant<double, std::string> SavedToValid(Hub& hub, const std::string& name, bool wildcard) {
  const auto start = Steady::now();
  hub.Must("POST", "/api/v1/domains", SaveBody(name, wildcard));
  json view;
  while (Steady::now() - start < 120s) {
    harness::HttpResult r = hub.Call("GET", "/api/v1/domains/" + name);
    if (r.status == 200) {
      view = json::parse(r.body, nullptr, false);
      const std::string status = view.value("status", "");
      if (status == "valid") {
        return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
      }
      if (status == "failed") return name + ": " + view.value("last_error", "");
    }
    std::this_thread::sleep_for(10ms);
  }
  return name + ": not valid after 120 s: " + view.value("last_error", "");
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank =
      static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size()) + 0.999);
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// Saves each delegated domain once to learn its label, deletes it, and creates its CNAME.
void PrepareDelegation(Hub& hub, const harness::NamedServer& named, const harness::TempDir& dir,
                       const std::vector<std::string>& names) {
  std::string update = "server 127.0.0.1 " + std::to_string(named.port()) + "\nzone dlg.test\n";
  for (const std::string& name : names) {
    hub.Must("POST", "/api/v1/domains", SaveBody(name, true));
    json view = hub.Must("GET", "/api/v1/domains/" + name + "/dns01");
    const std::string target = view["delegation"]["records"][0].value("target", "");
    if (target.empty()) Die(name + ": no delegation record in " + view.dump());
    hub.Must("DELETE", "/api/v1/domains/" + name);
    update += "update add _acme-challenge." + name + ". 60 CNAME " + target + ".\n";
  }
  update += "send\n";
  dir.WriteFile("cnames.txt", update);
  auto r = harness::RunCommand(
      {"nsupdate", "-k", named.KeyFile(), (dir.path() / "cnames.txt").string()});
  if (!r || r->exit_code != 0) Die("nsupdate: " + (r ? r->output : r.error().message));
}

void Print(const std::vector<Way>& ways) {
  std::printf("| way | domains | valid | p50 (ms) | p90 (ms) | max (ms) |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const Way& way : ways) {
    const std::size_t total = way.ms.size() + way.failures.size();
    std::printf("| %s | %zu | %zu | %.0f | %.0f | %.0f |\n", way.title.c_str(), total,
                way.ms.size(), Percentile(way.ms, 50), Percentile(way.ms, 90),
                Percentile(way.ms, 100));
  }
  for (const Way& way : ways) {
    for (const std::string& failure : way.failures) std::printf("FAILED %s\n", failure.c_str());
  }
}

int Run(int per_way) {
  harness::TempDir dir("dns01-issuance-bench");
  const std::uint16_t dns_port = harness::FreeLoopbackUdpTcpPort();
  const std::uint16_t hub_port = harness::FreeLoopbackPort();
  auto named = harness::NamedServer::Start(
      {.zones = {{"dlg.test", ""}, {"rfc.test", ""}, {"web.test", "* A 127.0.0.1\n"}},
       .forwards = {{kZone, "127.0.0.1", dns_port}}});
  if (!named) Die("named: " + named.error().message);
  auto pebble = harness::PebbleServer::Start(
      {.http_port = hub_port, .nonce_reject_percent = 0, .dns_server = (*named)->Address()});
  if (!pebble) Die("pebble: " + pebble.error().message);
  const std::string resolver = (*named)->Address();
  std::ofstream(dir.path() / "hub.toml")
      << "data_dir = \"" << (dir.path() / "data").string() << "\"\n"
      << "listen = \"127.0.0.1:" << hub_port << "\"\n\n"
      << "[[issuer]]\nname = \"pebble\"\n"
      << "directory = \"" << (*pebble)->DirectoryUrl() << "\"\n"
      << "ca_file = \"" << (*pebble)->CaFile() << "\"\n"
      << "challenges = [\"dns-01\", \"http-01\"]\n\n"
      << "[dns01]\nresolver = \"" << resolver << "\"\n\n"
      << "[dns01.delegation]\nzone = \"" << kZone << "\"\n"
      << "nameservers = [\"ns1.provider.test\"]\n"
      << "listen = \"127.0.0.1:" << dns_port << "\"\n\n"
      << "[[dns01.zone]]\nzone = \"dlg.test\"\nsolver = \"delegation\"\n\n"
      << "[[dns01.zone]]\nzone = \"rfc.test\"\nsolver = \"rfc2136\"\n"
      << "server = \"" << resolver << "\"\nkey_name = \"" << (*named)->key_name() << "\"\n"
      << "secret_file = \"" << (*named)->KeyFile() << "\"\n"
      << "check_servers = [\"" << resolver << "\"]\nttl = 5\n";
  const std::string base = "http://127.0.0.1:" + std::to_string(hub_port);
  auto process = harness::StartHubProcess({.binary = CERTFLEET_HUB_BIN,
                                           .config_file = dir.path() / "hub.toml",
                                           .data_dir = dir.path() / "data",
                                           .base_url = base,
                                           .log_file = dir.path() / "hub.log"});
  if (!process) Die("hub: " + process.error().message);
  Hub hub{.url = base, .token = process->admin_token};

  std::vector<Way> ways = {{"wildcard + apex, DNS-01 by delegation to the hub", "dlg.test"},
                           {"wildcard + apex, DNS-01 by RFC 2136 to BIND", "rfc.test"},
                           {"apex + www, HTTP-01 (no wildcard possible)", "web.test", false}};
  std::vector<std::string> delegated;
  for (int i = 0; i < per_way; ++i) delegated.push_back("d" + std::to_string(i) + ".dlg.test");
  PrepareDelegation(hub, **named, dir, delegated);

  for (int i = 0; i < per_way; ++i) {
    for (std::size_t k = 0; k < ways.size(); ++k) {
      Way& way = ways[(k + static_cast<std::size_t>(i)) % ways.size()];
      const std::string name = "d" + std::to_string(i) + "." + way.zone;
      auto outcome = SavedToValid(hub, name, way.wildcard);
      if (const double* ms = std::get_if<double>(&outcome)) {
        way.ms.push_back(*ms);
      } else {
        way.failures.push_back(std::get<std::string>(outcome));
      }
    }
  }
  Print(ways);
  bool failed = false;
  for (const Way& way : ways) failed = failed || !way.failures.empty();
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace certfleet::bench

int main(int argc, char** argv) {
  const int per_way = argc > 1 ? std::atoi(argv[1]) : 20;
  if (per_way < 1 || per_way > 1000) {
    std::fprintf(stderr, "usage: dns01_issuance_bench [domains_per_way 1..1000]\n");
    return 2;
  }
  return certfleet::bench::Run(per_way);
}
