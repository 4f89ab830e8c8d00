// hub_seed: fills a hub data directory's SQLite store through the Store API, for the hub
// benchmarks (bench/hub_challenge.sh, bench/hub_scale.sh; BENCHMARKS.md "Hub (issue 3)").
// Run it while no hub uses the directory. DATA_DIR may instead be a PostgreSQL URL
// (postgresql://user@host:port/db, the password from PGPASSWORD) for the PostgreSQL store
// (bench/hub_scale_postgres.sh); hubs may run on it meanwhile.
//
//   hub_seed challenge DATA_DIR TOKEN KEY_AUTHORIZATION
//       one domain "challenge.bench.test" plus a pending HTTP-01 challenge valid for a day
//   hub_seed domains DATA_DIR COUNT CHAIN_PEM_FILE
//       COUNT manual domains, each with a current certificate (the same chain PEM, a unique
//       fake fingerprint); renew_at spread evenly over [now - 1 day, now + 59 days), so
//       about 1/60 of them are due now
//   hub_seed due DATA_DIR [RUNS]
//       times Store::ListDomainsDueForRenewal(now, limit) RUNS times (default 10) for a
//       few limits and prints a markdown table of the medians
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace {

using certfleet::Status;
using certfleet::TimePoint;
using certfleet::store::Store;
using Clock = std::chrono::steady_clock;

const certfleet::store::Actor kActor{"system:hub_seed"};

int Fail(const std::string& step, const std::string& message) {
  std::fprintf(stderr, "hub_seed: %s: %s\n", step.c_str(), message.c_str());
  return 1;
}

std::unique_ptr<Store> OpenStore(const std::string& data_dir) {
  if (data_dir.starts_with("postgresql://")) {
    auto store = certfleet::store::OpenPostgresStore({.url = data_dir, .connections = 2});
    if (!store) {
      Fail("opening " + certfleet::store::DescribePostgresUrl(data_dir), store.error().message);
      return nullptr;
    }
    return std::move(*store);
  }
  certfleet::store::SqliteOptions options;
  options.path = data_dir + "/hub.db";
  auto store = certfleet::store::OpenSqliteStore(options);
  if (!store) {
    Fail("opening " + options.path, store.error().message);
    return nullptr;
  }
  return std::move(*store);
}

certfleet::store::Domain ManualDomain(std::string name) {
  certfleet::store::Domain d;
  d.name = std::move(name);
  d.issuer = std::string(certfleet::store::kManualIssuer);
  d.key_type = "ec256";
  d.status = certfleet::store::DomainStatus::kValid;
  return d;
}

int SeedChallenge(Store& store, const std::string& token, const std::string& key_authorization) {
  auto domain = store.CreateDomain(kActor, ManualDomain("challenge.bench.test"));
  if (!domain) return Fail("creating the challenge domain", domain.error().message);
  certfleet::store::Challenge c;
  c.token = token;
  c.key_authorization = key_authorization;
  c.domain_id = domain->id;
  c.expires_at = std::chrono::system_clock::now() + std::chrono::hours(24);
  if (auto s = store.PutChallenge(c); !s) return Fail("storing the challenge", s.error().message);
  return 0;
}

// A unique 64-hex-digit fake fingerprint for domain i.
std::string FakeSha256(long i) {
  char buf[65];
  std::snprintf(buf, sizeof buf, "%064lx", static_cast<unsigned long>(i + 1));
  return buf;
}

// With a fleet (the metrics benchmark): the domain's customer and machine, and whether its
// agent reported the certificate served.
struct FleetPlace {
  std::optional<certfleet::store::Id> customer;
  std::optional<certfleet::store::Id> machine;
  bool served = false;
};

Status AddOne(Store& store, long i, long count, const std::string& chain, TimePoint now,
              const FleetPlace& place = {}) {
  using std::chrono::hours;
  auto d = ManualDomain("d" + std::to_string(i) + ".bench.test");
  d.customer_id = place.customer;
  if (place.machine) d.machine_ids = {*place.machine};
  // renew_at from now - 1 day to now + 59 days, evenly over i.
  d.renew_at = now - hours(24) + hours(24 * 60) * i / count;
  auto domain = store.CreateDomain(kActor, d);
  if (!domain) return certfleet::Fail(domain.error());
  certfleet::store::CertificateVersion c;
  c.domain_id = domain->id;
  c.chain_pem = chain;
  c.encrypted_key = std::string(200, 'k');
  c.serial = FakeSha256(i).substr(32);
  c.not_before = *d.renew_at - hours(24 * 60);
  c.not_after = *d.renew_at + hours(24 * 30);
  c.sha256 = FakeSha256(i);
  c.issuer_cn = "bench intermediate";
  c.names = {d.name};
  c.source = certfleet::store::CertificateSource::kManual;
  auto cert = store.AddCertificate(kActor, c);
  if (!cert) return certfleet::Fail(cert.error());
  if (place.machine && place.served) {
    auto r =
        store.ReportDeployment(kActor, {.machine_id = *place.machine,
                                        .certificate_id = cert->id,
                                        .status = certfleet::store::DeploymentStatus::kDeployed,
                                        .sha256 = c.sha256});
    if (!r) return certfleet::Fail(r.error());
  }
  return {};
}

// COUNT domains over MACHINES machines and COUNT/100 customers, each with a certificate; the
// agents reported 95 % of them served (the rest: "issued but not served").
int SeedFleet(Store& store, long count, long machines, const std::string& chain_file) {
  std::ifstream in(chain_file);
  const std::string chain{std::istreambuf_iterator<char>(in), {}};
  if (chain.empty()) return Fail("reading " + chain_file, "missing or empty");
  std::vector<certfleet::store::Id> machine_ids, customer_ids;
  for (long m = 0; m < machines; ++m) {
    auto made = store.CreateMachine(kActor, {.name = "web-" + std::to_string(m)});
    if (!made) return Fail("creating a machine", made.error().message);
    machine_ids.push_back(made->id);
  }
  for (long c = 0; c < std::max(1L, count / 100); ++c) {
    auto made = store.CreateCustomer(kActor, {.name = "customer-" + std::to_string(c)});
    if (!made) return Fail("creating a customer", made.error().message);
    customer_ids.push_back(made->id);
  }
  const TimePoint now = std::chrono::system_clock::now();
  for (long i = 0; i < count; ++i) {
    const FleetPlace place{customer_ids[static_cast<std::size_t>(i) % customer_ids.size()],
                           machine_ids[static_cast<std::size_t>(i) % machine_ids.size()],
                           i % 20 != 0};
    if (auto s = AddOne(store, i, count, chain, now, place); !s) {
      return Fail("adding domain " + std::to_string(i), s.error().message);
    }
    if ((i + 1) % 10000 == 0) std::fprintf(stderr, "hub_seed: %ld domains\n", i + 1);
  }
  return 0;
}

int SeedDomains(Store& store, long count, const std::string& chain_file) {
  std::ifstream in(chain_file);
  const std::string chain{std::istreambuf_iterator<char>(in), {}};
  if (chain.empty()) return Fail("reading " + chain_file, "missing or empty");
  const TimePoint now = std::chrono::system_clock::now();
  const auto start = Clock::now();
  for (long i = 0; i < count; ++i) {
    if (auto s = AddOne(store, i, count, chain, now); !s) {
      return Fail("adding domain " + std::to_string(i), s.error().message);
    }
    if ((i + 1) % 10000 == 0) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      std::fprintf(stderr, "hub_seed: %ld domains in %.1f s\n", i + 1, secs);
    }
  }
  return 0;
}

double MedianMs(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int TimeDue(Store& store, int runs) {
  std::printf("| limit | domains returned | median ms (%d runs) | min ms | max ms |\n", runs);
  std::printf("|---:|---:|---:|---:|---:|\n");
  for (std::int64_t limit : {100L, 1000L, 100000L}) {
    std::vector<double> ms;
    std::size_t found = 0;
    for (int r = 0; r < runs; ++r) {
      const auto start = Clock::now();
      auto due = store.ListDomainsDueForRenewal(std::chrono::system_clock::now(), limit);
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
      if (!due) return Fail("listing due domains", due.error().message);
      found = due->size();
    }
    std::printf("| %ld | %zu | %.2f | %.2f | %.2f |\n", static_cast<long>(limit), found,
                MedianMs(ms), *std::min_element(ms.begin(), ms.end()),
                *std::max_element(ms.begin(), ms.end()));
  }
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: hub_seed challenge DATA_DIR TOKEN KEY_AUTHORIZATION\n"
               "       hub_seed domains DATA_DIR COUNT CHAIN_PEM_FILE\n"
               "       hub_seed fleet DATA_DIR COUNT MACHINES CHAIN_PEM_FILE\n"
               "       hub_seed due DATA_DIR [RUNS]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 2) return Usage();
  const std::string& mode = args[0];
  auto store = OpenStore(args[1]);
  if (!store) return 1;
  if (mode == "challenge" && args.size() == 4) return SeedChallenge(*store, args[2], args[3]);
  if (mode == "domains" && args.size() == 4)
    return SeedDomains(*store, std::stol(args[2]), args[3]);
  if (mode == "fleet" && args.size() == 5)
    return SeedFleet(*store, std::stol(args[2]), std::stol(args[3]), args[4]);
  if (mode == "due" && args.size() <= 3)
    return TimeDue(*store, args.size() == 3 ? std::stoi(args[2]) : 10);
  return Usage();
}
