// hub_fanout: the hub's cost per agent at fleet scale, without thousands of agent processes
// fighting over two cores (issue 16). One process simulates N machines, each with its own
// agent token and its own keep-alive connection, doing what certfleet-agent does: a watch
// long poll (types=machine.desired_changed,machine.redeploy_requested); on an answer, a pass:
// desired state, the certificate when it changed, the deployment report; then watch again.
// bench/hub_fanout.sh seeds the store, starts the hub and runs this.
//
//   hub_fanout seed DATA_DIR N TOKENS_FILE
//       customer "fanout", machines fan-00000 … (N), one agent token each (secrets written to
//       TOKENS_FILE, one "machine secret" per line, mode 0600), the manual domain
//       fanout.bench.test hosted on all of them, and an admin token (DATA_DIR/admin.token, as the
//       hub's own bootstrap would write it). Through the Store API, before the hub starts.
//   CERTFLEET_TOKEN=<admin> hub_fanout run HUB_URL TOKENS_FILE ROUNDS HUB_PID
//       connects the machines (half, settle, the other half: the hub's RSS growth per idle
//       watcher), then ROUNDS times uploads a new certificate for the domain (one commit
//       that concerns every machine) and waits for every machine's pass. Prints a table:
//       commit → first / last watcher answered (read by this client's one thread), → each
//       answer arrived (the kernel's receive time of its first byte, SO_TIMESTAMPNS: when an
//       agent on its own machine would have had it; p50 and last), → all passes done, hub CPU
//       per pass (all hub threads, /proc/PID/task/*/schedstat), and the memory per idle
//       watcher. HUB_FANOUT_PASS_DELAY_MS=M (diagnostic): each machine waits M ms after its
//       answer before its pass, so the answers go out with no pass competing for the hub.
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agent_bench_api.h"
#include "hub/auth.h"
#include "store/sqlite/sqlite_store.h"

namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using certfleet::bench::Steady;
using Wall = std::chrono::system_clock;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kDomain = "fanout.bench.test";
constexpr const char* kWatchTypes = "machine.desired_changed,machine.redeploy_requested";

int Fail(const std::string& what) {
  std::fprintf(stderr, "hub_fanout: %s\n", what.c_str());
  return 1;
}

// ---- seed ------------------------------------------------------------------------------

int Seed(const std::string& data_dir, int n, const std::string& tokens_file) {
  namespace store = certfleet::store;
  auto opened = store::OpenSqliteStore({.path = data_dir + "/hub.db"});
  if (!opened) return Fail("opening the store: " + opened.error().message);
  store::Store& s = **opened;
  const store::Actor actor{"system:hub_fanout"};
  store::Customer customer;
  customer.name = "fanout";
  if (auto c = s.CreateCustomer(actor, customer); !c) return Fail(c.error().message);
  std::ofstream tokens(tokens_file);
  std::filesystem::permissions(
      tokens_file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::vector<store::Id> machines;
  for (int i = 0; i < n; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "fan-%05d", i);
    store::Machine m;
    m.name = name;
    m.address = "127.0.0.1";
    auto created = s.CreateMachine(actor, m);
    if (!created) return Fail(created.error().message);
    machines.push_back(created->id);
    store::Token t;
    t.name = name;
    t.role = store::Role::kAgent;
    t.machine_id = created->id;
    const std::string secret = certfleet::hub::GenerateTokenSecret();
    t.secret_sha256 = certfleet::hub::HashTokenSecret(secret);
    if (auto token = s.CreateToken(actor, t); !token) return Fail(token.error().message);
    tokens << name << " " << secret << "\n";
  }
  // The hub makes its bootstrap admin token only when there is no token at all.
  auto admin =
      certfleet::hub::IssueToken(s, actor, "bench admin", store::Role::kAdmin, std::nullopt);
  if (!admin) return Fail(admin.error().message);
  std::ofstream(data_dir + "/admin.token") << admin->secret << "\n";
  std::filesystem::permissions(data_dir + "/admin.token", std::filesystem::perms::owner_read |
                                                              std::filesystem::perms::owner_write);
  store::Domain d;
  d.name = kDomain;
  d.issuer = std::string(store::kManualIssuer);
  d.key_type = "ec256";
  d.machine_ids = machines;
  if (auto created = s.CreateDomain(actor, d); !created) return Fail(created.error().message);
  return tokens ? 0 : Fail("cannot write " + tokens_file);
}

// ---- the simulated agents ------------------------------------------------------------------

struct Shared {
  // Diagnostic (HUB_FANOUT_PASS_DELAY_MS): each simulated machine waits this long after its
  // answer before its pass, so the answers are written with no pass competing for the hub.
  std::chrono::milliseconds pass_delay{0};
  std::atomic<int> watching{0};   // watch requests in flight
  std::atomic<int> connected{0};  // machines whose first pass is done
  std::atomic<long> passes{0};
  std::atomic<long> errors{0};
  std::mutex mu;
  std::vector<Steady::time_point> answered;  // per machine: its last watch answer with events
  // The same answers' arrival in this machine's kernel (SO_TIMESTAMPNS): when a real agent, on
  // its own machine, would have had it, whatever this one client thread was busy with then.
  std::vector<std::optional<Wall::time_point>> arrived;
  std::vector<Steady::time_point> passed;  // per machine: its last pass done
  std::string last_error;
};

struct Machine {
  int index;
  std::string token;
};

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The kernel's receive time (CLOCK_REALTIME, from SO_TIMESTAMPNS) of the first byte waiting
// on `fd`, which is left unread; nullopt when the kernel gave none.
std::optional<Wall::time_point> ArrivalOfPending(int fd) {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  if (::recvmsg(fd, &msg, MSG_PEEK | MSG_DONTWAIT) <= 0) return std::nullopt;
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec ts{};
    std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
    return Wall::time_point(std::chrono::duration_cast<Wall::duration>(
        std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
  }
  return std::nullopt;
}

// When an answer reached this machine (the kernel's receive time of its first byte) and when
// this client's thread got to it.
struct AnswerTimes {
  std::optional<Wall::time_point> arrived;
  Steady::time_point read;
};

// `times` set: also when the answer arrived and was read.
asio::awaitable<json> Call(boost::beast::tcp_stream& stream, const std::string& host,
                           const std::string& token, http::verb verb, const std::string& target,
                           std::string body = "", AnswerTimes* times = nullptr) {
  Request req{verb, target, 11};
  req.set(http::field::host, host);
  req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  stream.expires_after(70s);
  co_await http::async_write(stream, req, asio::use_awaitable);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  bool done = false;
  if (times != nullptr) {
    // Nothing else is unread on the connection: the first byte to come is the answer's.
    co_await stream.socket().async_wait(tcp::socket::wait_read, asio::use_awaitable);
    times->read = Steady::now();
    times->arrived = ArrivalOfPending(stream.socket().native_handle());
    // What has arrived is read at once (the socket is in non-blocking mode): an asynchronous
    // read would queue this agent once more behind all the others.
    boost::system::error_code ec;
    http::read(stream.socket(), buffer, parser, ec);
    if (ec && ec != asio::error::would_block) throw boost::system::system_error(ec);
    done = !ec;
  }
  if (!done) co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  const Response& res = parser.get();
  if (res.result_int() >= 300) {
    throw std::runtime_error(std::to_string(res.result_int()) + " " + target + ": " + res.body());
  }
  co_return json::parse(res.body());
}

// One agent's pass: desired state, the certificate when it changed, the report.
asio::awaitable<void> Pass(boost::beast::tcp_stream& stream, const std::string& host,
                           const Machine& m, std::string& have) {
  json desired = co_await Call(stream, host, m.token, http::verb::get, "/api/v1/agent/desired");
  for (const auto& c : desired["certificates"]) {
    if (c["certificate_id"].is_null() || c["sha256"] == have) continue;
    const auto id = c["certificate_id"].get<long>();
    co_await Call(stream, host, m.token, http::verb::get,
                  "/api/v1/agent/certificates/" + std::to_string(id));
    // Built outside the co_await: GCC 12 rejects brace-initialised temporaries with string
    // literals inside one ("array used as initializer").
    json report;
    report["certificate_id"] = id;
    report["status"] = "deployed";
    report["sha256"] = c["sha256"];
    report["error"] = "";
    std::string body = report.dump();
    co_await Call(stream, host, m.token, http::verb::post, "/api/v1/agent/deployments",
                  std::move(body));
    have = c["sha256"];
  }
}

asio::awaitable<void> Agent(tcp::endpoint hub, std::string host, Machine m, Shared& shared) {
  try {
    boost::beast::tcp_stream stream(co_await asio::this_coro::executor);
    co_await stream.async_connect(hub, asio::use_awaitable);
    const int on = 1;
    ::setsockopt(stream.socket().native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    stream.socket().non_blocking(true);  // for the synchronous read in Call
    std::string have;
    co_await Pass(stream, host, m, have);
    json desired = co_await Call(stream, host, m.token, http::verb::get, "/api/v1/agent/desired");
    long since = desired["revision"].get<long>();
    ++shared.connected;
    for (;;) {
      ++shared.watching;
      AnswerTimes times;
      json page = co_await Call(
          stream, host, m.token, http::verb::get,
          "/api/v1/events?since=" + std::to_string(since) + "&wait=55&types=" + kWatchTypes, "",
          &times);
      --shared.watching;
      since = page["revision"].get<long>();
      if (page["events"].empty()) continue;
      const auto answered = times.read;
      if (shared.pass_delay.count() > 0) {
        asio::steady_timer delay(stream.get_executor(), shared.pass_delay);
        co_await delay.async_wait(asio::use_awaitable);
      }
      co_await Pass(stream, host, m, have);
      std::lock_guard lock(shared.mu);
      shared.answered[static_cast<size_t>(m.index)] = answered;
      shared.arrived[static_cast<size_t>(m.index)] = times.arrived;
      shared.passed[static_cast<size_t>(m.index)] = Steady::now();
      ++shared.passes;
    }
  } catch (const std::exception& e) {
    ++shared.errors;
    std::lock_guard lock(shared.mu);
    shared.last_error = e.what();
  }
}

// ---- measuring the hub -------------------------------------------------------------------

// CPU time of every thread of `pid`, nanoseconds (schedstat: exact, not clock ticks).
long long HubCpuNs(int pid) {
  long long total = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream in(task.path() / "schedstat");
    long long ns = 0;
    in >> ns;
    total += ns;
  }
  return total;
}

long RssKb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

bool WaitUntil(const std::function<bool()>& done, std::chrono::seconds timeout) {
  const auto deadline = Steady::now() + timeout;
  while (!done()) {
    if (Steady::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

std::vector<Machine> ReadTokens(const std::string& file) {
  std::vector<Machine> machines;
  std::ifstream in(file);
  std::string name, secret;
  while (in >> name >> secret) machines.push_back({static_cast<int>(machines.size()), secret});
  return machines;
}

int Run(const std::string& hub_url, const std::string& tokens_file, int rounds, int hub_pid) {
  auto machines = ReadTokens(tokens_file);
  const int n = static_cast<int>(machines.size());
  if (n == 0) return Fail("no tokens in " + tokens_file);
  auto admin = certfleet::bench::AdminApi::Create(hub_url);
  if (!admin) return Fail(admin.error().message);
  auto ca = certfleet::crypto::testing::TestCa::Create(1, "hub_fanout");
  auto leaves =
      ca ? certfleet::bench::IssueLeaves(*ca, kDomain, rounds + 1) : certfleet::Fail(ca.error());
  if (!leaves) return Fail(leaves.error().message);
  const std::string host = hub_url.substr(hub_url.find("//") + 2);
  const auto colon = host.rfind(':');
  tcp::endpoint hub(asio::ip::make_address(host.substr(0, colon)),
                    static_cast<unsigned short>(std::stoi(host.substr(colon + 1))));
  Shared shared;
  if (const char* delay = std::getenv("HUB_FANOUT_PASS_DELAY_MS")) {
    shared.pass_delay = std::chrono::milliseconds(std::atoi(delay));
  }
  shared.answered.resize(static_cast<size_t>(n));
  shared.passed.resize(static_cast<size_t>(n));
  shared.arrived.resize(static_cast<size_t>(n));
  asio::io_context io;
  auto work = asio::make_work_guard(io);
  std::thread client([&io] { io.run(); });
  auto connect = [&](int from, int to) {
    for (int i = from; i < to; ++i)
      asio::co_spawn(io, Agent(hub, host, machines[static_cast<size_t>(i)], shared),
                     asio::detached);
    return WaitUntil(
        [&] { return shared.connected + shared.errors >= to && shared.watching >= to; }, 300s);
  };
  // The first upload warms the hub; the watchers connect after it.
  if (auto s = admin->Upload(kDomain, (*leaves)[0]); !s) return Fail(s.error().message);
  const long rss_none = RssKb(hub_pid);
  if (!connect(0, n / 2)) return Fail("the first half did not connect: " + shared.last_error);
  std::this_thread::sleep_for(2s);
  const long rss_half = RssKb(hub_pid);
  if (!connect(n / 2, n)) return Fail("the second half did not connect: " + shared.last_error);
  std::this_thread::sleep_for(2s);
  const long rss_all = RssKb(hub_pid);
  if (shared.errors > 0)
    return Fail(std::to_string(shared.errors) + " agents failed: " + shared.last_error);

  // "answered": when this client's one thread read the answer (behind whatever it was doing
  // for the other simulated machines); "arrived": when the answer reached this machine's
  // kernel (the answer's first byte, SO_TIMESTAMPNS), i.e. when an agent on its own machine
  // would have it.
  std::printf(
      "| round | machines | commit → first answered (ms) | commit → last answered (ms) | "
      "commit → answer arrived, p50 / last (ms) | commit → all passes done (ms) | "
      "hub CPU per pass (µs) |\n|---|---:|---:|---:|---:|---:|---:|\n");
  for (int r = 1; r <= rounds; ++r) {
    const long passes_before = shared.passes;
    const long long cpu_before = HubCpuNs(hub_pid);
    if (auto s = admin->Upload(kDomain, (*leaves)[static_cast<size_t>(r)]); !s)
      return Fail(s.error().message);
    const auto committed = Steady::now();  // the upload's answer: the commit is done
    const auto committed_wall = Wall::now();
    if (!WaitUntil([&] { return shared.passes - passes_before >= n || shared.errors > 0; }, 300s))
      return Fail("round " + std::to_string(r) + ": only " +
                  std::to_string(shared.passes - passes_before) + " passes");
    const long long cpu = HubCpuNs(hub_pid) - cpu_before;
    std::lock_guard lock(shared.mu);
    const auto first = *std::min_element(shared.answered.begin(), shared.answered.end());
    const auto last = *std::max_element(shared.answered.begin(), shared.answered.end());
    const auto done = *std::max_element(shared.passed.begin(), shared.passed.end());
    std::vector<double> arrivals;  // ms after the commit
    for (const auto& a : shared.arrived) {
      if (a)
        arrivals.push_back(std::chrono::duration<double, std::milli>(*a - committed_wall).count());
    }
    using certfleet::bench::MillisBetween;
    using certfleet::bench::Percentile;
    std::string arrived = "—";
    if (arrivals.size() == static_cast<size_t>(n)) {
      char text[64];
      std::snprintf(text, sizeof text, "%.0f / %.0f", Percentile(arrivals, 50),
                    Percentile(arrivals, 100));
      arrived = text;
    }
    std::printf("| %d | %d | %.0f | %.0f | %s | %.0f | %.0f |\n", r, n,
                MillisBetween(committed, std::max(first, committed)),
                MillisBetween(committed, last), arrived.c_str(), MillisBetween(committed, done),
                static_cast<double>(cpu) / 1000.0 / n);
    std::fflush(stdout);
  }
  std::printf(
      "\nhub RSS: %.1f MB before the watchers, %.1f MB with %d idle, %.1f MB with %d idle: "
      "%.1f KB per idle watcher (the second half)\n",
      static_cast<double>(rss_none) / 1024.0, static_cast<double>(rss_half) / 1024.0, n / 2,
      static_cast<double>(rss_all) / 1024.0, n,
      static_cast<double>(rss_all - rss_half) / (n - n / 2));
  if (shared.errors > 0)
    std::printf("agent errors: %ld (%s)\n", shared.errors.load(), shared.last_error.c_str());
  std::fflush(stdout);
  std::_Exit(0);  // the watchers' coroutines are still parked in long polls
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "seed" && argc == 5) return Seed(argv[2], std::atoi(argv[3]), argv[4]);
  if (mode == "run" && argc == 6) {
    rlimit files{};
    ::getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &files);
    return Run(argv[2], argv[3], std::atoi(argv[4]), std::atoi(argv[5]));
  }
  std::fprintf(
      stderr,
      "usage: hub_fanout seed DATA_DIR N TOKENS_FILE\n"
      "       CERTFLEET_TOKEN=<admin> hub_fanout run HUB_URL TOKENS_FILE ROUNDS HUB_PID\n");
  return 2;
}
