#include "sim/fleet_sim.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "crypto/envelope.h"
#include "issuance/engine.h"
#include "issuance/issuance_job.h"
#include "issuance/renewal_policy.h"
#include "net/testing/fake_transport.h"
#include "store/testing/memory_store.h"

namespace certfleet::sim {
namespace {

constexpr const char* kIssuer = "sim-ca";
constexpr const char* kDirectoryUrl = "https://ca.sim.test/dir";
constexpr const char* kNonceUrl = "https://ca.sim.test/nonce";

// The directory and newNonce, as far as the reachability probe needs them; nothing else
// goes over the wire in the simulation (the job is simulated whole).
class SimCaEndpoint {
 public:
  SimCaEndpoint(const SimWorld& world, const Clock& clock, std::int64_t& probes)
      : world_(world), clock_(clock), probes_(probes) {}

  Result<net::HttpResponse> Handle(const net::HttpRequest& request) const {
    if (request.url == kDirectoryUrl) ++probes_;
    if (world_.CaDown(clock_.Now())) {
      return Fail(ErrorCode::kUnavailable, request.url + ": connection refused (simulated)");
    }
    net::HttpResponse response;
    response.status = 200;
    if (request.url == kDirectoryUrl) {
      response.headers.Add("Content-Type", "application/json");
      response.body = nlohmann::json{{"newNonce", kNonceUrl},
                                     {"newAccount", "https://ca.sim.test/account"},
                                     {"newOrder", "https://ca.sim.test/order"},
                                     {"revokeCert", "https://ca.sim.test/revoke"},
                                     {"keyChange", "https://ca.sim.test/key-change"}}
                          .dump();
      return response;
    }
    if (request.url == kNonceUrl) {
      response.headers.Add("Replay-Nonce", "sim-nonce");
      return response;
    }
    response.status = 404;
    return response;
  }

 private:
  const SimWorld& world_;
  const Clock& clock_;
  std::int64_t& probes_;
};

class Simulation {
 public:
  explicit Simulation(const FleetConfig& config)
      : config_(config),
        world_(config.world),
        clock_(config.world.start),
        endpoint_(world_, clock_, result_.probes),
        rng_(std::make_shared<std::mt19937_64>(config.world.seed)) {}

  FleetResult Run();

 private:
  Status Setup();
  issuance::JobReport Job(const issuance::JobEnvironment& env, const store::Domain& domain,
                          const store::Lease& lease);
  issuance::JobReport Issue(const issuance::JobEnvironment& env, const store::Domain& domain,
                            const store::Lease& lease);
  TimePoint NextStep(TimePoint now, TimePoint end);
  void CheckTheEnd(TimePoint end);

  const FleetConfig config_;
  const SimWorld world_;
  FakeClock clock_;
  FleetResult result_;
  SimCaEndpoint endpoint_;
  std::shared_ptr<std::mt19937_64> rng_;
  std::unique_ptr<store::Store> store_;
  std::optional<crypto::Envelope> envelope_;
  std::unique_ptr<issuance::IssuanceEngine> engine_;
  std::map<store::Id, int> index_;  // domain id → world domain index
  std::int64_t serial_ = 0;
};

Status Simulation::Setup() {
  store_ = store::testing::OpenMemoryStore(store::testing::NewMemoryDatabase(config_.world.seed),
                                           &clock_);
  auto envelope = crypto::Envelope::Create(std::string(32, 's'));
  if (!envelope) return Fail(envelope.error());
  envelope_.emplace(std::move(*envelope));
  const store::Actor actor{"sim"};
  for (int i = 0; i < config_.world.domains; ++i) {
    store::Domain d;
    d.name = "d" + std::to_string(i) + ".sim.test";
    d.issuer = kIssuer;
    d.key_type = "ec-p256";
    d.next_attempt_at = clock_.Now();
    auto created = store_->CreateDomain(actor, d);
    if (!created) return Fail(created.error());
    index_[created->id] = i;
  }
  issuance::EngineOptions options;
  options.data_dir = "/nonexistent/certfleet-sim";  // the simulated job never signs
  options.retry = config_.retry;
  options.reachability = config_.reachability;
  options.transport_factory = [this](const issuance::IssuerConfig&) {
    return Result<std::unique_ptr<net::HttpTransport>>(std::make_unique<net::FakeTransport>(
        [this](const net::HttpRequest& r) { return endpoint_.Handle(r); }));
  };
  options.seed = [rng = rng_] { return (*rng)(); };
  options.run_job = [this](const issuance::JobEnvironment& env, issuance::IssuerRuntime*,
                           const store::Domain& domain,
                           const store::Lease& lease) { return Job(env, domain, lease); };
  issuance::IssuerConfig issuer;
  issuer.name = kIssuer;
  issuer.directory_url = kDirectoryUrl;
  auto engine =
      issuance::IssuanceEngine::Create(*store_, *envelope_, clock_, {issuer}, options, nullptr);
  if (!engine) return Fail(engine.error());
  engine_ = std::move(*engine);
  return Ok();
}

// What the real job would end with, given the world's answer now.
issuance::JobReport Simulation::Job(const issuance::JobEnvironment& env,
                                    const store::Domain& domain, const store::Lease& lease) {
  const TimePoint now = clock_.Now();
  std::optional<TimePoint> retry_after;
  const CaAnswer answer = world_.Answer(index_.at(domain.id), now, &retry_after);
  if (answer != CaAnswer::kIssues) ++result_.failures;
  switch (answer) {
    case CaAnswer::kDown:
      return issuance::RecordFailure(
          env, domain, lease,
          Error{ErrorCode::kUnavailable, domain.name + ": newOrder: connection refused"});
    case CaAnswer::kRateLimited: {
      ++result_.ca_contacts;
      Error error{ErrorCode::kRateLimited, domain.name + ": newOrder: rateLimited"};
      if (retry_after) error.retry_after = std::chrono::duration_cast<Duration>(*retry_after - now);
      return issuance::RecordFailure(env, domain, lease, error);
    }
    case CaAnswer::kValidationFails:
      ++result_.ca_contacts;
      return issuance::RecordFailure(
          env, domain, lease,
          Error{ErrorCode::kAcmeProblem,
                domain.name + ": http-01 validation failed: connection refused (agent down)"});
    case CaAnswer::kIssues:
      ++result_.ca_contacts;
      return Issue(env, domain, lease);
  }
  return {};
}

issuance::JobReport Simulation::Issue(const issuance::JobEnvironment& env,
                                      const store::Domain& domain, const store::Lease& lease) {
  const TimePoint now = clock_.Now();
  if (domain.current_not_after) {
    const TimePoint old = *domain.current_not_after;
    if (old < now) {
      result_.expiries.push_back(Expiry{
          domain.name, old, std::chrono::duration_cast<Duration>(now - old), domain.last_error});
    }
    result_.least_margin =
        std::min(result_.least_margin, std::chrono::duration_cast<Duration>(old - now));
  } else {
    result_.worst_first_issue = std::max(
        result_.worst_first_issue, std::chrono::duration_cast<Duration>(now - config_.world.start));
  }
  store::CertificateVersion cert;
  cert.domain_id = domain.id;
  cert.chain_pem = "-----BEGIN CERTIFICATE-----\nsimulated\n-----END CERTIFICATE-----\n";
  cert.encrypted_key = "cfv1 simulated";
  cert.serial = std::to_string(++serial_);
  cert.sha256 = "sim" + cert.serial;
  cert.issuer_cn = "Simulated CA";
  cert.names = {domain.name};
  cert.not_before = now;
  cert.not_after = now + config_.lifetime;
  auto stored = env.store.AddCertificate(env.actor, cert);
  if (!stored) {
    return issuance::RecordFailure(env, domain, lease, stored.error());
  }
  ++result_.issued;
  result_.issued_at.push_back(now);
  const TimePoint renew_at =
      issuance::RenewAt({cert.not_before, cert.not_after, {}, {}}, now, env.seed());
  return issuance::RecordIssued(env, domain, lease, renew_at);
}

TimePoint Simulation::NextStep(TimePoint now, TimePoint end) {
  TimePoint next = std::min(now + config_.poll, end);
  if (auto wake = engine_->NextWake()) next = std::min(next, std::max(*wake, now + Duration(1)));
  if (auto change = world_.NextChange(now)) next = std::min(next, *change);
  return next;
}

// A certificate still current at the end that expired before it, or a domain that never
// got one, is an expiry too.
void Simulation::CheckTheEnd(TimePoint end) {
  for (const auto& [id, i] : index_) {
    auto d = store_->GetDomain(id);
    if (!d) continue;
    if (!d->current_not_after) {
      result_.expiries.push_back(
          Expiry{d->name, config_.world.start,
                 std::chrono::duration_cast<Duration>(end - config_.world.start),
                 "never issued: " + d->last_error});
    } else if (*d->current_not_after < end) {
      result_.expiries.push_back(
          Expiry{d->name, *d->current_not_after,
                 std::chrono::duration_cast<Duration>(end - *d->current_not_after), d->last_error});
    }
  }
}

FleetResult Simulation::Run() {
  const std::clock_t cpu_start = std::clock();
  if (auto ready = Setup(); !ready) {
    result_.expiries.push_back(Expiry{"(setup)", {}, {}, ready.error().message});
    return result_;
  }
  const TimePoint end = config_.world.start + config_.world.length;
  while (true) {
    engine_->RunAllDue("sim/0");
    const TimePoint now = clock_.Now();
    if (now >= end) break;
    clock_.Set(NextStep(now, end));
    ++result_.steps;
  }
  CheckTheEnd(end);
  result_.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return result_;
}

}  // namespace

FleetResult RunFleet(const FleetConfig& config) {
  const auto level = spdlog::default_logger()->level();
  spdlog::set_level(spdlog::level::off);  // thousands of expected warnings
  Simulation simulation(config);
  FleetResult result = simulation.Run();
  spdlog::set_level(level);
  return result;
}

std::string FormatSpan(Duration d) {
  using namespace std::chrono;
  if (d < Duration{0}) return "-" + FormatSpan(-d);
  const auto s = duration_cast<seconds>(d).count();
  if (s >= 86400) return std::to_string(s / 86400) + "d " + std::to_string(s % 86400 / 3600) + "h";
  if (s >= 3600) return std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
  if (s >= 60) return std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
  return std::to_string(s) + "s";
}

}  // namespace certfleet::sim
