// Library throughput: COUNT certificates from one ACME CA at CONCURRENCY, through one
// acme::Client and one standalone HTTP-01 responder. Prints certificates per second and
// the CPU seconds spent by this process and (given its PID) by the CA, so a run shows
// whether the CA or the client is the limit.
//
// usage: acme_throughput DIRECTORY_URL CA_FILE HTTP01_PORT COUNT CONCURRENCY [CA_PID]
// The environment variable ACME_TRANSPORT picks the HttpTransport: beast (default) or curl;
// ACME_POLL_FIRST_MS overrides PollPolicy::first_delay (to compare polling policies).
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "acme/client.h"
#include "crypto/key.h"
#include "net/beast/beast_transport.h"
#include "net/curl/curl_transport.h"
#include "solver/http01_responder.h"

namespace {

using namespace certfleet;

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto secs = [](timeval tv) {
    return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
  };
  return secs(usage.ru_utime) + secs(usage.ru_stime);
}

// utime + stime of another process, from /proc/PID/stat (fields 14 and 15).
double ProcessCpuSeconds(const std::string& pid) {
  if (pid.empty()) return 0;
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

using TransportResult = Result<std::unique_ptr<net::HttpTransport>>;

TransportResult MakeTransport(const std::string& kind, const std::string& ca_file) {
  if (kind == "curl") {
    auto curl = net::CurlTransport::Create({.ca_file = ca_file});
    if (!curl) return Fail(curl.error());
    return std::unique_ptr<net::HttpTransport>(std::move(*curl));
  }
  if (kind != "beast")
    return Fail(ErrorCode::kInvalidArgument, "ACME_TRANSPORT must be beast or curl");
  auto beast = net::BeastTransport::Create({.ca_file = ca_file});
  if (!beast) return Fail(beast.error());
  return std::unique_ptr<net::HttpTransport>(std::move(*beast));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6) {
    std::cerr
        << "usage: acme_throughput DIRECTORY_URL CA_FILE HTTP01_PORT COUNT CONCURRENCY [CA_PID]\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::warn);
  const std::string directory = argv[1];
  const int count = std::stoi(argv[4]);
  const int concurrency = std::stoi(argv[5]);
  const std::string ca_pid = argc > 6 ? argv[6] : "";

  const char* kind_env = std::getenv("ACME_TRANSPORT");
  const std::string kind = kind_env != nullptr ? kind_env : "beast";
  auto transport = MakeTransport(kind, argv[2]);
  auto solver = solver::StandaloneHttp01Solver::Start(std::string("127.0.0.1:") + argv[3], 2);
  if (!transport || !solver) {
    std::cerr << (transport ? solver.error().message : transport.error().message) << "\n";
    return 1;
  }
  acme::ClientOptions options;
  if (const char* first = std::getenv("ACME_POLL_FIRST_MS"); first != nullptr) {
    options.poll.first_delay = std::chrono::milliseconds(std::stoi(first));
  }
  auto client = acme::Client::Open(**transport, SystemClock::Instance(), directory, options);
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kEcP256);
  auto account = client ? (*client)->RegisterAccount(*key, {}) : tl::unexpected(client.error());
  if (!account) {
    std::cerr << account.error().message << "\n";
    return 1;
  }
  const acme::Signer signer{*key, account->url};

  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  const double cpu0 = SelfCpuSeconds();
  const double ca_cpu0 = ProcessCpuSeconds(ca_pid);
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < concurrency; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        acme::ObtainRequest request{.names = {"t" + std::to_string(i) + ".throughput.test"},
                                    .solvers = {solver->get()}};
        if (auto cert = (*client)->ObtainCertificate(signer, request); !cert) {
          ++failures;
          std::cerr << cert.error().message << "\n";
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu = SelfCpuSeconds() - cpu0;
  const double ca_cpu = ProcessCpuSeconds(ca_pid) - ca_cpu0;

  std::printf(
      "| transport | certificates | concurrency | wall (s) | certs/s | our CPU (s) | our CPU per "
      "cert (ms) | CA CPU (s) | failures |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  std::printf("| %s | %d | %d | %.2f | %.1f | %.2f | %.1f | %.2f | %d |\n", kind.c_str(), count,
              concurrency, wall, count / wall, cpu, cpu * 1000 / count, ca_cpu, failures.load());
  return failures.load() == 0 ? 0 : 1;
}
