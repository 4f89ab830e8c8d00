// The hub's DNS responder on its own, for bench/dns_responder.sh: the delegated zone with
// fixed TXT records (no store), answering until SIGTERM or SIGINT.
//
// usage: dns_responder LISTEN THREADS ZONE LABEL=VALUE[,VALUE...]...
//   prints "port N" once listening. The rate limit is off (dnsperf queries from one source).
#include <signal.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "dns/responder/dns_server.h"
#include "dns/responder/zone_answer.h"

namespace {

class FixedSource final : public certfleet::dns::TxtSource {
 public:
  std::vector<std::string> Lookup(std::string_view label) const override {
    auto it = values.find(std::string(label));
    return it == values.end() ? std::vector<std::string>{} : it->second;
  }
  std::map<std::string, std::vector<std::string>, std::less<>> values;
};

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, separator);) parts.push_back(part);
  return parts;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::cerr << "usage: dns_responder LISTEN THREADS ZONE LABEL=VALUE[,VALUE...]...\n";
    return 2;
  }
  FixedSource source;
  for (int i = 4; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto eq = arg.find('=');
    if (eq == std::string::npos) return 2;
    source.values[arg.substr(0, eq)] = Split(arg.substr(eq + 1), ',');
  }
  auto answerer = certfleet::dns::ZoneAnswerer::Create(
      {.zone = argv[3], .nameservers = {"hub1.bench.invalid"}}, source);
  if (!answerer) {
    std::cerr << answerer.error().message << "\n";
    return 1;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server's threads start
  auto server = certfleet::dns::DnsServer::Start(
      {.listen = argv[1], .udp_threads = std::stoi(argv[2]), .rate_limit = {.per_second = 0}},
      **answerer);
  if (!server) {
    std::cerr << server.error().message << "\n";
    return 1;
  }
  std::cout << "port " << (*server)->port() << std::endl;
  int received = 0;
  sigwait(&signals, &received);
  const auto stats = (*server)->stats();
  std::cerr << "udp queries " << stats.udp_queries << ", answered " << stats.udp_answered << "\n";
  return 0;
}
